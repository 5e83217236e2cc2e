"""The agent end to end: `hm pi run` as its own process, the session's stack, a real cupsd."""

from __future__ import annotations

import subprocess

import cups as pycups
from pypdf import PdfReader

from pi_agent.local_cups import LocalCups
from tests.pi_agent.conftest import Door

Agents = list[subprocess.Popen[bytes]]


def _printed_text(cups: LocalCups) -> str:
    return PdfReader(cups.output_path).pages[0].extract_text()


def _cups_jobs_titled(cups: LocalCups, title: str) -> list[int]:
    connection = pycups.Connection(host=cups.server)
    jobs = connection.getJobs(which_jobs="all", requested_attributes=["job-name"])
    return [job_id for job_id, attributes in jobs.items() if attributes.get("job-name") == title]


def test_check_in_prints_a_tag_with_the_attendees_name(door: Door, agents: Agents) -> None:
    agents.append(door.start_agent())
    job_id = door.check_in("Zoë", last_name="Ångström", company="Acme", pronouns="she/her")
    job = door.wait_for_status(job_id, "printed", "failed")
    assert job["status"] == "printed", job
    text = _printed_text(door.cups)
    assert "Zoë Ångström" in text
    assert "she/her" in text
    connection = pycups.Connection(host=door.cups.server)
    attributes = connection.getJobAttributes(job["cups_job_id"])
    assert attributes["media"] == "Custom.2x4in"
    assert attributes["orientation-requested"] == 4
    heartbeat = door.db.execute(
        "select printer_state, last_seen_at is not null from public.devices where id = %s",
        (door.station.device_id,),
    ).fetchone()
    assert heartbeat == ("idle", True)
