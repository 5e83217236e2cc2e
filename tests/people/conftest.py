"""Fixtures for the operator commands: a CLI runner with the session stack's environment."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from hm.cli import app


@pytest.fixture
def run_hm(supabase_env: dict[str, str]) -> Callable[..., Result]:
    """Run `hm …` against the session stack; returns typer's Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        # Wide enough that rich never wraps the lines the tests look for.
        env = {**supabase_env, "COLUMNS": "250"}
        return runner.invoke(app, list(args), env=env, input=input)

    return run


@pytest.fixture
def unique() -> str:
    """A short unique suffix so tests sharing the session database never collide."""
    return uuid.uuid4().hex[:8]
