"""A Pi installs only `.[pi]`: the agent and `hm-pi` must load without the workers' and the
local stack's packages."""

from __future__ import annotations

import subprocess
import sys

NOT_ON_A_PI = (
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

PROBE = f"""
import sys
for name in {NOT_ON_A_PI!r}:
    sys.modules[name] = None  # importing it now raises ImportError
from typer.testing import CliRunner
import pi_agent.agent, pi_agent.doctor, pi_agent.label, pi_agent.local_cups, pi_agent.printer
from hm.cli_pi import pi_app
for command in ("run", "doctor", "test-print", "local-cups"):
    result = CliRunner().invoke(pi_app, [command, "--help"])
    assert result.exit_code == 0, (command, result.output)
"""


def test_the_agent_needs_only_the_pi_extra() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
