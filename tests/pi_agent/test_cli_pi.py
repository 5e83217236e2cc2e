"""`hm pi doctor` and `hm pi test-print` through the CLI, against the real cupsd and stack."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from hm.cli import app
from tests.pi_agent.conftest import Door

runner = CliRunner()


def test_doctor_passes_when_everything_is_in_place(door: Door) -> None:
    result = runner.invoke(app, ["pi", "doctor"], env=door.agent_env())
    assert result.exit_code == 0, result.output
    for check in ("CUPS reachable", "queue present", "queue accepting jobs", "Supabase reachable"):
        assert f"ok   {check}" in result.output
    assert "ok   device credentials valid" in result.output


def test_doctor_names_each_problem_with_a_fix(door: Door) -> None:
    door.cups.admin("cupsdisable", "-r", "Lid open", door.cups.queue)
    result = runner.invoke(
        app, ["pi", "doctor"], env=door.agent_env(HM_DEVICE_PASSWORD="not-the-password")
    )
    assert result.exit_code == 1
    assert "FAIL queue accepting jobs: Lid open" in result.output
    assert f"cupsenable {door.cups.queue}" in result.output
    assert "FAIL device credentials valid" in result.output


def test_doctor_says_how_to_start_cups_when_it_is_unreachable(door: Door) -> None:
    env = door.agent_env(HM_CUPS_SERVER="/nonexistent/cups.sock")
    result = runner.invoke(app, ["pi", "doctor"], env=env)
    assert result.exit_code == 1
    assert "FAIL CUPS reachable" in result.output
    assert "systemctl enable --now cups" in result.output


def test_test_print_writes_a_sample_tag(door: Door) -> None:
    result = runner.invoke(
        app, ["pi", "test-print", "--name", "Señora Prueba"], env=door.agent_env()
    )
    assert result.exit_code == 0, result.output
    assert "printed CUPS job" in result.output
    assert "Señora Prueba" in PdfReader(door.cups.output_path).pages[0].extract_text()


def test_local_cups_starts_a_queue_that_writes_pdfs_and_stops() -> None:
    state_dir = Path(tempfile.mkdtemp(prefix="hm-test-cli-cups-"))
    try:
        started = runner.invoke(app, ["pi", "local-cups", "--state-dir", str(state_dir)])
        assert started.exit_code == 0, started.output
        env = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
        assert env["HM_CUPS_QUEUE"] == "Label"
        printed = runner.invoke(app, ["pi", "test-print", "--name", "Local"], env=env)
        assert printed.exit_code == 0, printed.output
        output = state_dir / "output" / "label-output.pdf"
        assert "Local" in PdfReader(output).pages[0].extract_text()
    finally:
        stopped = runner.invoke(app, ["pi", "local-cups", "--state-dir", str(state_dir), "--stop"])
        shutil.rmtree(state_dir, ignore_errors=True)
    assert stopped.exit_code == 0
    assert "stopped" in stopped.output
