"""The agent end to end: `hm pi run` as its own process, the session's stack, a real cupsd."""

from __future__ import annotations

import signal
import subprocess
import time
from urllib.parse import urlsplit

import cups as pycups
from pypdf import PdfReader

from devstack.local_cups import LocalCups
from tests.pi_agent.conftest import Door
from tests.pi_agent.tcp_proxy import CuttableProxy
from tests.polling import wait_for

Agents = list[subprocess.Popen[bytes]]


def _printed_text(cups: LocalCups) -> str:
    return PdfReader(cups.output_path).pages[0].extract_text()


def _cups_jobs_titled(cups: LocalCups, title: str) -> list[int]:
    connection = pycups.Connection(host=cups.server)
    jobs = connection.getJobs(which_jobs="all", requested_attributes=["job-id", "job-name"])
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


def test_disabled_printer_fails_the_job_with_cups_reason(door: Door, agents: Agents) -> None:
    door.cups.admin("cupsdisable", "-r", "Out of labels", door.cups.queue)
    agents.append(door.start_agent(HM_PRINT_MAX_ATTEMPTS="2", HM_PRINT_RETRY_SECONDS="0.2"))
    job_id = door.check_in("Refused")
    job = door.wait_for_status(job_id, "printed", "failed")
    assert job["status"] == "failed"
    assert "Out of labels" in job["error"]
    assert job["attempts"] == 2
    assert job["cups_job_id"] is None  # nothing reached CUPS

    door.cups.admin("cupsenable", door.cups.queue)
    next_job = door.check_in("Welcome")
    assert door.wait_for_status(next_job, "printed", "failed")["status"] == "printed"
    assert "Welcome" in _printed_text(door.cups)


def test_a_job_waiting_for_a_disabled_printer_prints_after_re_enable(
    door: Door, agents: Agents
) -> None:
    door.cups.admin("cupsdisable", "-r", "Paper jam", door.cups.queue)
    agents.append(door.start_agent(HM_PRINT_MAX_ATTEMPTS="100", HM_PRINT_RETRY_SECONDS="0.2"))
    job_id = door.check_in("Patient")
    job = wait_for(
        lambda: door.job(job_id),
        lambda job: job["attempts"] >= 2 and job["status"] == "queued",
        seconds=20,
        what="a second attempt handed back to the queue",
        interval=0.02,
    )
    assert "Paper jam" in job["error"]

    door.cups.admin("cupsenable", door.cups.queue)
    assert door.wait_for_status(job_id, "printed", "failed")["status"] == "printed"
    assert "Patient" in _printed_text(door.cups)


def test_agent_killed_mid_job_never_reprints_silently(door: Door, agents: Agents) -> None:
    # CUPS holds every new job, so the agent is stuck between submitting and the outcome.
    door.cups.admin("lpadmin", "-p", door.cups.queue, "-o", "job-hold-until-default=indefinite")
    first = door.start_agent()
    agents.append(first)
    job_id = door.check_in("Crash")
    door.wait_for_status(job_id, "printing")
    wait_for(
        lambda: _cups_jobs_titled(door.cups, f"hm-{job_id}"),
        seconds=10,
        what="the job reaching CUPS",
        interval=0.02,
    )
    first.send_signal(signal.SIGKILL)
    first.wait()

    # Time passes beyond the lease; a new agent starts.
    door.db.execute(
        "update public.print_jobs set lease_expires_at = now() - interval '1 second' where id = %s",
        (job_id,),
    )
    door.cups.admin("lpadmin", "-p", door.cups.queue, "-o", "job-hold-until-default=no-hold")
    agents.append(door.start_agent())
    door.wait_for_status(job_id, "unknown")
    later = door.check_in("After")
    assert door.wait_for_status(later, "printed", "failed")["status"] == "printed"
    assert door.job(job_id)["status"] == "unknown"
    assert len(_cups_jobs_titled(door.cups, f"hm-{job_id}")) == 1


def test_backlog_queued_while_the_agent_was_down_prints_in_order(
    door: Door, agents: Agents
) -> None:
    job_ids = [door.check_in(f"Backlog{index}") for index in range(5)]
    agents.append(door.start_agent())
    jobs = [door.wait_for_status(job_id, "printed", "failed") for job_id in job_ids]
    assert [job["status"] for job in jobs] == ["printed"] * 5
    cups_ids = [job["cups_job_id"] for job in jobs]
    assert cups_ids == sorted(cups_ids)
    printed_at = [job["printed_at"] for job in jobs]
    assert printed_at == sorted(printed_at)


def test_polling_alone_prints_when_realtime_events_are_lost(door: Door, agents: Agents) -> None:
    agents.append(door.start_agent(HM_PI_REALTIME="0", HM_POLL_SECONDS="0.5"))
    job_id = door.check_in("Polled")
    assert door.wait_for_status(job_id, "printed", "failed")["status"] == "printed"
    assert "Polled" in _printed_text(door.cups)


def test_backlog_from_a_network_outage_prints_in_order_after_reconnecting(
    door: Door, agents: Agents
) -> None:
    api = urlsplit(door.supabase_env["SUPABASE_URL"])
    proxy = CuttableProxy(api.hostname or "127.0.0.1", api.port or 80)
    proxy.start()
    try:
        agents.append(door.start_agent(SUPABASE_URL=f"http://127.0.0.1:{proxy.port}"))
        first = door.check_in("BeforeOutage")
        assert door.wait_for_status(first, "printed", "failed")["status"] == "printed"

        proxy.cut()
        backlog = [door.check_in(f"Offline{index}") for index in range(5)]
        time.sleep(3)  # the agent notices: failed polls, a dropped Realtime socket
        assert {door.job(job_id)["status"] for job_id in backlog} == {"queued"}

        proxy.restore()
        reconnected = time.monotonic()
        jobs = [door.wait_for_status(job_id, "printed", "failed") for job_id in backlog]
        elapsed = time.monotonic() - reconnected
    finally:
        proxy.cut()
    assert [job["status"] for job in jobs] == ["printed"] * 5, door.log()
    assert elapsed < 10, f"backlog took {elapsed:.1f} s after reconnecting"
    printed_at = [job["printed_at"] for job in jobs]
    assert printed_at == sorted(printed_at)


def test_a_kind_the_agent_cannot_render_stays_queued(door: Door, agents: Agents) -> None:
    # A later release's receipt, queued before the tag: an agent that renders only name tags
    # claims the tag (claim_print_jobs_v2) and never prints the receipt as one.
    receipt = door.db.execute(
        "insert into public.print_jobs (event_id, contact_id, device_id, payload, kind)"
        " select %s, contact_id, device_id, '{\"total\": \"12.00\"}', 'receipt'"
        "   from public.print_jobs where id = %s returning id",
        (door.event_id, door.check_in("Before")),
    ).fetchone()
    assert receipt is not None
    agents.append(door.start_agent())
    tag = door.check_in("Tagged")
    assert door.wait_for_status(tag, "printed", "failed")["status"] == "printed"
    assert "Tagged" in _printed_text(door.cups)
    assert door.job(str(receipt[0]))["status"] == "queued"
