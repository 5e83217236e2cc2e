"""The agent against a queue that refuses jobs (`cupsreject`, e.g. the lid is open): the job is
handed back to the queue with CUPS's reason and prints as soon as the queue accepts again.
(Disabled printers, crashes, backlogs and lost events: test_agent_printing.py.)"""

from __future__ import annotations

import subprocess

from tests.pi_agent.conftest import Door
from tests.polling import wait_for

Agents = list[subprocess.Popen[bytes]]


def test_a_refusing_queue_requeues_with_cups_reason_then_prints_when_accepting(
    door: Door, agents: Agents
) -> None:
    door.cups.admin("cupsreject", "-r", "Lid open", door.cups.queue)
    agents.append(door.start_agent(HM_PRINT_MAX_ATTEMPTS="50", HM_PRINT_RETRY_SECONDS="0.2"))
    job_id = door.check_in("Patient")
    job = wait_for(
        lambda: door.job(job_id),
        lambda job: bool(job["error"]),
        seconds=20,
        what="CUPS's refusal recorded on the job",
        state=door.log,
        interval=0.02,
    )
    assert "Lid open" in job["error"]
    assert job["status"] in ("queued", "claimed")
    assert job["cups_job_id"] is None
    door.cups.admin("cupsaccept", door.cups.queue)
    assert door.wait_for_status(job_id, "printed", "failed")["status"] == "printed"
