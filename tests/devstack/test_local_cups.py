"""The private cupsd really prints: a job's PDF lands in the queue's output file."""

from __future__ import annotations

import cups as pycups
from pypdf import PdfReader

from devstack import local_cups
from devstack.local_cups import LocalCups
from pi_agent.label import LabelData, layout_named, render_label
from tests.polling import wait_for

IPP_JOB_COMPLETED = 9


def test_a_job_writes_the_rendered_pdf_to_the_output_file(cups: LocalCups) -> None:
    pdf = render_label(
        LabelData(display_name="Ana García", event_name="Demo"), layout_named("default")
    )
    source = cups.state_dir / "input.pdf"
    source.write_bytes(pdf)
    connection = pycups.Connection(host=cups.server)
    job_id = connection.printFile(
        cups.queue, str(source), "tag", {"media": "Custom.2x4in", "orientation-requested": "4"}
    )
    attributes = wait_for(
        lambda: connection.getJobAttributes(job_id),
        lambda attributes: attributes["job-state"] >= IPP_JOB_COMPLETED,
        seconds=10,
        what="the CUPS job finishing",
        interval=0.01,
    )
    assert attributes["job-state"] == IPP_JOB_COMPLETED
    assert attributes["media"] == "Custom.2x4in"
    assert attributes["orientation-requested"] == 4
    page = PdfReader(cups.output_path).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288.0, 144.0)
    assert "Ana García" in page.extract_text()


def test_start_again_reuses_the_running_server(cups: LocalCups) -> None:
    again = local_cups.start(cups.state_dir)
    assert again.port == cups.port
    assert again.process.pid() == cups.process.pid()
