"""A Pi installs only `.[pi]`: the agent, `hm-pi` and `hm pi` must load without the workers' and
the local stack's packages and without devstack itself, and `hm`'s other groups explain what to
install."""

from __future__ import annotations

import subprocess

from tests.without_modules import run_without

# What a Raspberry Pi does not install (`pip install '.[pi]'`), and devstack, which no product
# module may import.
NOT_ON_A_PI = (
    "devstack",
    "psycopg",
    "psycopg_pool",
    "fastapi",
    "starlette",
    "uvicorn",
    "twilio",
    "mailersend",
    "phonenumbers",
    "prometheus_client",
    "bcrypt",
    "sqlparse",
    "multipart",
)


def run_as_on_a_pi(code: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter where importing any of NOT_ON_A_PI raises ImportError."""
    return run_without(NOT_ON_A_PI, code)


def test_the_agent_needs_only_the_pi_extra() -> None:
    result = run_as_on_a_pi(
        """
from typer.testing import CliRunner
import pi_agent.agent, pi_agent.doctor, pi_agent.label, pi_agent.printer
from hm.cli_pi import pi_app
for command in ("run", "doctor", "test-print"):
    result = CliRunner().invoke(pi_app, [command, "--help"])
    assert result.exit_code == 0, (command, result.output)
"""
    )
    assert result.returncode == 0, result.stderr


def test_hm_pi_works_with_only_the_pi_extra() -> None:
    result = run_as_on_a_pi(
        """
from typer.testing import CliRunner
from hm.cli import app
runner = CliRunner()
pi = runner.invoke(app, ["pi", "run", "--help"])
assert pi.exit_code == 0, pi.output
stack = runner.invoke(app, ["stack", "up"])
assert stack.exit_code == 1, stack.output
assert "hello-miami[stack]" in stack.output, stack.output
"""
    )
    assert result.returncode == 0, result.stderr + result.stdout
