"""Fixtures for the operator commands: a CLI runner with the session stack's environment."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from devstack.simulators.config import SimulatorConfig
from devstack.simulators.process import SimulatorProcess
from devstack.testing import free_port
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


@pytest.fixture(scope="session")
def mail_simulator() -> Iterator[SimulatorProcess]:
    """The provider simulator, for the MailerSend side of staff invitations."""
    folder = Path(tempfile.mkdtemp(prefix="hm-people-sim-"))
    process = SimulatorProcess(folder / "run", folder / "logs", free_port(), SimulatorConfig())
    process.start()
    yield process
    process.stop()
    shutil.rmtree(folder, ignore_errors=True)
