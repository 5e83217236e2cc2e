"""The agent when things go wrong: a disabled printer, a crash mid-job, a backlog, lost events."""

from __future__ import annotations

import signal
import subprocess
import time

import cups as pycups

from pi_agent.local_cups import LocalCups
from tests.pi_agent.conftest import Door

Agents = list[subprocess.Popen[bytes]]


def _completed_cups_jobs_titled(cups: LocalCups, title: str) -> list[int]:
    connection = pycups.Connection(host=cups.server)
    # Ask per job: pycups' getJobs drops jobs when given requested_attributes.
    return [
        job_id
        for job_id in connection.getJobs(which_jobs="completed")
        if connection.getJobAttributes(job_id)["job-name"] == title
    ]


def test_disabled_printer_fails_the_job_with_cups_reason_then_prints_after_reenable(
    door: Door, agents: Agents
) -> None:
    door.cups.admin("cupsdisable", "-r", "Out of labels", door.cups.queue)
    agents.append(door.start_agent(HM_PRINT_MAX_ATTEMPTS="2", HM_PRINT_RETRY_SECONDS="0.2"))
    stuck = door.check_in("Paused")
    job = door.wait_for_status(stuck, "failed", "printed")
    assert job["status"] == "failed"
    assert job["attempts"] == 2
    assert "Out of labels" in job["error"]
    assert job["cups_job_id"] is None  # nothing reached CUPS
    state = door.db.execute(
        "select printer_state, printer_state_reason from public.devices where id = %s",
        (door.station.device_id,),
    ).fetchone()
    assert state is not None
    assert state[0] == "stopped"
    assert "Out of labels" in state[1]

    door.cups.admin("cupsenable", door.cups.queue)
    after = door.check_in("Resumed")
    assert door.wait_for_status(after, "printed", "failed")["status"] == "printed"
    assert door.job(stuck)["status"] == "failed"  # a failed tag is reprinted only by a person


def test_printer_paused_briefly_the_requeued_job_prints_once_it_is_back(
    door: Door, agents: Agents
) -> None:
    door.cups.admin("cupsreject", "-r", "Lid open", door.cups.queue)
    agents.append(door.start_agent(HM_PRINT_MAX_ATTEMPTS="50", HM_PRINT_RETRY_SECONDS="0.2"))
    job_id = door.check_in("Patient")
    deadline = time.monotonic() + 20
    while not (job := door.job(job_id))["error"]:
        assert time.monotonic() < deadline, door.log()
        time.sleep(0.02)
    assert "Lid open" in job["error"]
    assert job["status"] in ("queued", "claimed")
    door.cups.admin("cupsaccept", door.cups.queue)
    assert door.wait_for_status(job_id, "printed", "failed")["status"] == "printed"


def test_agent_killed_mid_job_never_silently_reprints(door: Door, agents: Agents) -> None:
    # Held jobs keep the agent following a job CUPS has accepted, so the kill lands mid-job.
    door.cups.admin("lpadmin", "-p", door.cups.queue, "-o", "job-hold-until-default=indefinite")
    first = door.start_agent()
    agents.append(first)
    job_id = door.check_in("Crash")
    job = door.wait_for_status(job_id, "printing")
    deadline = time.monotonic() + 10
    while (cups_jobs := _held_jobs(door.cups)) == []:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    # CUPS finishes the job it already had: exactly one tag reaches paper.
    door.cups.admin("lpadmin", "-p", door.cups.queue, "-o", "job-hold-until-default=no-hold")
    for cups_job in cups_jobs:
        door.cups.admin("lp", "-i", str(cups_job), "-H", "resume")

    agents.append(door.start_agent(HM_POLL_SECONDS="0.2"))
    time.sleep(1.5)  # several claims by the new agent
    assert door.job(job_id)["status"] == "printing"
    # The lease runs out: the next claim marks it unknown, for a person to decide.
    door.db.execute(
        "update public.print_jobs set lease_expires_at = now() - interval '1 second' where id = %s",
        (job_id,),
    )
    job = door.wait_for_status(job_id, "unknown", "printed", "queued", "claimed")
    assert job["status"] == "unknown"
    time.sleep(1)
    assert door.job(job_id)["status"] == "unknown"
    assert len(_completed_cups_jobs_titled(door.cups, f"hm-{job_id}")) == 1


def _held_jobs(cups: LocalCups) -> list[int]:
    connection = pycups.Connection(host=cups.server)
    return list(connection.getJobs(which_jobs="not-completed"))


def test_jobs_queued_while_the_agent_was_down_print_in_order(door: Door, agents: Agents) -> None:
    backlog = [door.check_in(name) for name in ("First", "Second", "Third", "Fourth")]
    agents.append(door.start_agent())
    printed = [door.wait_for_status(job_id, "printed", "failed") for job_id in backlog]
    assert [job["status"] for job in printed] == ["printed"] * 4
    cups_ids = [job["cups_job_id"] for job in printed]
    assert cups_ids == sorted(cups_ids)
    times = [job["printed_at"] for job in printed]
    assert times == sorted(times)


def test_a_lost_realtime_event_is_still_printed_by_polling(door: Door, agents: Agents) -> None:
    # With Realtime off every event is "lost": only the claim on each poll finds the job.
    agents.append(door.start_agent(HM_PI_REALTIME="false", HM_POLL_SECONDS="0.5"))
    job_id = door.check_in("Polled")
    assert door.wait_for_status(job_id, "printed", "failed", timeout=10)["status"] == "printed"
