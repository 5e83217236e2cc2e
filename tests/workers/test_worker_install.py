"""A worker host installs only `.[workers]`: every workers module and the `hm` groups it runs
must load without the Pi's packages, the local stand-in's, and devstack itself."""

from __future__ import annotations

from tests.without_modules import run_without

# What a worker host does not install (`pip install '.[workers]'`), and devstack, which no
# product module may import.
NOT_ON_A_WORKER_HOST = (
    "devstack",
    "cups",
    "reportlab",
    "bcrypt",
    "sqlparse",
    "multipart",
)


def test_every_worker_module_needs_only_the_workers_extra() -> None:
    result = run_without(
        NOT_ON_A_WORKER_HOST,
        """
import importlib, pkgutil
import workers
for module in pkgutil.walk_packages(workers.__path__, "workers."):
    importlib.import_module(module.name)
""",
    )
    assert result.returncode == 0, result.stderr


def test_hm_runs_workers_and_explains_the_stand_in_on_a_worker_host() -> None:
    result = run_without(
        NOT_ON_A_WORKER_HOST,
        """
from typer.testing import CliRunner
from hm.cli import app
runner = CliRunner()
for group in ("worker", "webhook", "staff", "devices", "contacts"):
    shown = runner.invoke(app, [group, "--help"])
    assert shown.exit_code == 0, (group, shown.output)
stack = runner.invoke(app, ["stack", "up"])
assert stack.exit_code == 1, stack.output
assert "hello-miami[stack]" in stack.output, stack.output
""",
    )
    assert result.returncode == 0, result.stderr + result.stdout
