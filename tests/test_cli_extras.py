"""`hm` runs with only one extra installed: groups of other extras explain what to install."""

from __future__ import annotations

import subprocess
import sys

# What a Raspberry Pi does not install (`pip install '.[pi]'`).
NOT_ON_A_PI = (
    "psycopg",
    "psycopg_pool",
    "fastapi",
    "starlette",
    "uvicorn",
    "twilio",
    "mailersend",
    "phonenumbers",
    "sqlparse",
    "bcrypt",
)

PROBE = f"""
import sys
for name in {NOT_ON_A_PI!r}:
    sys.modules[name] = None  # importing it now raises ModuleNotFoundError
from typer.testing import CliRunner
from hm.cli import app
runner = CliRunner()
pi = runner.invoke(app, ["pi", "run", "--help"])
assert pi.exit_code == 0, pi.output
stack = runner.invoke(app, ["stack", "up"])
assert stack.exit_code == 1, stack.output
assert "hello-miami[stack]" in stack.output, stack.output
"""


def test_hm_pi_works_with_only_the_pi_extra() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout
