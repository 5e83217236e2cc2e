"""Fixtures for the print agent: a door with its own print station, and agents to run there
(the private cupsd it prints through comes from tests/conftest.py)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from supabase import Client

from devstack.local_cups import LocalCups
from devstack.stack.manager import LocalStack
from hm.people import devices
from tests.polling import wait_for
from tests.staffed_door import staff_a_door


@dataclass
class Door:
    """One event with its own print station and a volunteer at the door, over the real APIs."""

    event_id: str
    station: devices.DeviceCredentials
    volunteer: Client
    db: psycopg.Connection[tuple[Any, ...]]
    supabase_env: dict[str, str]
    cups: LocalCups
    log_dir: Path

    def check_in(self, first_name: str, **registration: str) -> str:
        """Check a new attendee in as the volunteer; returns the print job's id."""
        phone = f"+1786{secrets.randbelow(10_000_000):07d}"
        result = (
            self.volunteer.rpc(
                "check_in",
                {
                    "p_event_id": self.event_id,
                    "p_phone": phone,
                    "p_registration": {"first_name": first_name, **registration},
                },
            )
            .execute()
            .data
        )
        assert isinstance(result, dict), result
        assert result["code"] == "checked_in", result
        return str(result["print_job_id"])

    def job(self, job_id: str) -> dict[str, Any]:
        row = self.db.execute(
            "select status, error, cups_job_id, attempts, printed_at from public.print_jobs "
            "where id = %s",
            (job_id,),
        ).fetchone()
        assert row is not None
        return dict(
            zip(("status", "error", "cups_job_id", "attempts", "printed_at"), row, strict=True)
        )

    def wait_for_status(self, job_id: str, *statuses: str, timeout: float = 20) -> dict[str, Any]:
        return wait_for(
            lambda: self.job(job_id),
            lambda job: job["status"] in statuses,
            seconds=timeout,
            what=f"job {job_id} {' or '.join(statuses)}",
            state=lambda: f"{self.job(job_id)} (agent log: {self.log()})",
            interval=0.01,
        )

    def agent_env(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "SUPABASE_URL": self.supabase_env["SUPABASE_URL"],
            "SUPABASE_ANON_KEY": self.supabase_env["SUPABASE_ANON_KEY"],
            "SUPABASE_SERVICE_ROLE_KEY": "",  # the agent must not need it
            "HM_DEVICE_EMAIL": self.station.email,
            "HM_DEVICE_PASSWORD": self.station.password,
            "HM_CUPS_SERVER": self.cups.server,
            "HM_CUPS_QUEUE": self.cups.queue,
            "HM_POLL_SECONDS": "1",
            **overrides,
        }

    def start_agent(self, **overrides: str) -> subprocess.Popen[bytes]:
        """`hm pi run` as a separate process (so a test can SIGKILL it)."""
        hm = Path(sys.executable).with_name("hm")
        with (self.log_dir / "agent.log").open("ab") as log:
            return subprocess.Popen(
                [str(hm), "pi", "run"], env=self.agent_env(**overrides), stdout=log, stderr=log
            )

    def log(self) -> str:
        path = self.log_dir / "agent.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


@pytest.fixture
def door(
    stack: LocalStack,
    supabase_env: dict[str, str],
    db: psycopg.Connection[tuple[Any, ...]],
    make_client: Callable[..., Client],
    cups: LocalCups,
    tmp_path: Path,
) -> Door:
    staffed = staff_a_door(supabase_env, db, make_client, "pi", cups.queue)
    return Door(
        staffed.event_id, staffed.station, staffed.volunteer, db, supabase_env, cups, tmp_path
    )


@pytest.fixture
def agents() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Agent processes a test started; each is stopped by its own pid afterwards."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
