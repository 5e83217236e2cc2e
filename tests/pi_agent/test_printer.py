"""The pycups adapter against the real private cupsd: states, reasons, outcomes."""

from __future__ import annotations

import cups as pycups
import pytest

from devstack.local_cups import LocalCups
from pi_agent.label import LabelData, layout_named, render_label
from pi_agent.printer import CupsPrinter, Outcome, PrinterError
from tests.polling import wait_for


@pytest.fixture(scope="module")
def tag() -> bytes:
    return render_label(LabelData(display_name="Printer Test"), layout_named("default"))


def test_a_ready_queue_prints_and_the_job_is_followed_to_completion(
    cups: LocalCups, tag: bytes
) -> None:
    printer = CupsPrinter(cups.server, cups.queue)
    assert printer.status().ready
    result = printer.follow(printer.submit(tag, "hm-ready"), timeout=10)
    assert result.outcome is Outcome.PRINTED
    assert cups.output_path.read_bytes().startswith(b"%PDF")


def test_host_and_port_reach_the_same_server(cups: LocalCups) -> None:
    assert CupsPrinter(f"127.0.0.1:{cups.port}", cups.queue).status().ready


def test_a_stopped_printer_reports_cups_reason(cups: LocalCups) -> None:
    cups.admin("cupsdisable", "-r", "Out of labels", cups.queue)
    status = CupsPrinter(cups.server, cups.queue).status()
    assert status.state == "stopped"
    assert not status.ready
    assert status.reason is not None
    assert "Out of labels" in status.reason


def test_a_refusing_queue_is_not_ready_and_refuses_submission(cups: LocalCups, tag: bytes) -> None:
    cups.admin("cupsreject", "-r", "Lid open", cups.queue)
    printer = CupsPrinter(cups.server, cups.queue)
    status = printer.status()
    assert status.state == "not-accepting"
    assert status.reason is not None
    assert "Lid open" in status.reason
    with pytest.raises(PrinterError, match="refused"):
        printer.submit(tag, "hm-refused")


def test_missing_queue_and_unreachable_server_are_named(cups: LocalCups) -> None:
    assert CupsPrinter(cups.server, "NoSuchQueue").status().state == "missing"
    gone = CupsPrinter(str(cups.state_dir / "no-such.sock"), cups.queue).status()
    assert gone.state == "unreachable"


def test_a_job_stuck_past_the_timeout_is_cancelled_and_failed(cups: LocalCups, tag: bytes) -> None:
    cups.admin("lpadmin", "-p", cups.queue, "-o", "job-hold-until-default=indefinite")
    printer = CupsPrinter(cups.server, cups.queue)
    cups_job_id = printer.submit(tag, "hm-stuck")
    result = printer.follow(cups_job_id, timeout=0.5)
    assert result.outcome is Outcome.FAILED
    assert result.error is not None
    assert "not printed within" in result.error
    connection = pycups.Connection(host=cups.server)
    wait_for(
        lambda: connection.getJobAttributes(cups_job_id)["job-state"] == pycups.IPP_JOB_CANCELED,
        seconds=5,
        what="CUPS cancelling the stuck job",
        interval=0.02,
    )


def test_a_job_cancelled_in_cups_is_failed_with_the_reason(cups: LocalCups, tag: bytes) -> None:
    cups.admin("lpadmin", "-p", cups.queue, "-o", "job-hold-until-default=indefinite")
    printer = CupsPrinter(cups.server, cups.queue)
    cups_job_id = printer.submit(tag, "hm-cancelled")
    cups.admin("cancel", str(cups_job_id))
    result = printer.follow(cups_job_id, timeout=10)
    assert result.outcome is Outcome.FAILED
    assert result.error is not None
    assert "cancelled" in result.error
