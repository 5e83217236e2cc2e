"""Print stations end to end in Chromium: an admin (aal2) registers a station in the app and is
shown a one-time pairing code; `hm pi pair CODE` (the real CLI, as anon) exchanges it through
the worker for the station's login and writes the agent's env file; the agent started from that
file prints the app's test print through the isolated cupsd; stopped, the station reads offline;
disabled, its login is banned by the worker.

The station reads offline 45 s after its last heartbeat (three missed beats). Rather than wait
that long, the test ages the last heartbeat by a minute once the agent has stopped. One browser
pass only (it is the heaviest e2e): the pairing rules, disabling and the ageing itself are
asserted in pgTAP (820, 890, 891, 892) and tests/test_pi_pair.py, tests/test_station_logins.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pypdf import PdfReader

from devstack.local_cups import LocalCups
from devstack.local_messaging import LocalMessaging
from tests.polling import wait_for
from tests.web.conftest import BrowserRun, StaffLogin

HM = Path(sys.executable).with_name("hm")


@pytest.fixture
def event_name(db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[str]:
    tag = uuid.uuid4().hex[:6]
    name = f"Stations night {tag}"
    db.execute(
        "insert into public.events (slug, name, starts_at, ends_at)"
        " values (%s, %s, now() + interval '1 day', now() + interval '1 day 3 hours')",
        (f"stations-{tag}", name),
    )
    yield name
    db.execute("delete from public.events where name = %s", (name,))


class PairedPi:
    """What the Pi does in this test: `hm pi pair`, then `hm pi run` from the env file it wrote."""

    def __init__(self, supabase_env: dict[str, str], cups: LocalCups, home: Path) -> None:
        self.supabase_env = supabase_env
        self.cups = cups
        self.env_file = home / "pi-agent.env"
        self.log = home / "agent.log"
        self.agent: subprocess.Popen[bytes] | None = None

    def pair(self, code: str) -> None:
        paired = subprocess.run(
            [str(HM), "pi", "pair", code, "--env-file", str(self.env_file)],
            env={**os.environ, **self.supabase_env, "SUPABASE_SERVICE_ROLE_KEY": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert paired.returncode == 0, paired.stderr
        written = dict(
            line.split("=", 1) for line in self.env_file.read_text().splitlines() if "=" in line
        )
        env = {
            **os.environ,
            "SUPABASE_SERVICE_ROLE_KEY": "",
            **written,
            "HM_CUPS_SERVER": self.cups.server,
            "HM_POLL_SECONDS": "1",
            "HM_HEARTBEAT_SECONDS": "2",
        }
        with self.log.open("ab") as log:
            self.agent = subprocess.Popen([str(HM), "pi", "run"], env=env, stdout=log, stderr=log)

    def stop(self) -> None:
        if self.agent is None or self.agent.poll() is not None:
            return
        self.agent.send_signal(signal.SIGTERM)
        try:
            self.agent.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.agent.kill()
            self.agent.wait()


def test_a_station_registered_in_the_app_pairs_prints_a_test_tag_and_goes_offline(
    make_staff: Callable[..., StaffLogin],
    texting: LocalMessaging,  # its worker runs the pairing loop
    supabase_env: dict[str, str],
    cups: LocalCups,
    event_name: str,
    run_browser: Any,
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
) -> None:
    admin = make_staff("admin")
    station_name = f"E2E station {uuid.uuid4().hex[:6]}"
    pi = PairedPi(supabase_env, cups, tmp_path)

    def control(command: str) -> str:
        if command.startswith("pair "):
            pi.pair(command.removeprefix("pair "))
        elif command == "stop-agent":
            pi.stop()
            db.execute(
                "update public.devices set last_seen_at = last_seen_at - interval '1 minute'"
                " where name = %s",
                (station_name,),
            )
        return "ok"

    try:
        run: BrowserRun = run_browser(
            "print_stations",
            answer=control,
            **admin.browser_env("ADMIN"),
            STATION_NAME=station_name,
            CUPS_QUEUE=cups.queue,
            EVENT_NAME=event_name,
        )
    finally:
        pi.stop()

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == ["register-invalid", "pairing-code", "test-printed", "actions-menu-phone"]
    assert not [line for line in run.lines if "page_error" in line]
    tag = PdfReader(cups.output_path).pages[0].extract_text()
    assert "Test print" in tag
    assert station_name in tag
    row = db.execute(
        "select d.disabled_at is not null, d.printer_state, p.status,"
        "  (select count(*) from public.print_jobs j"
        "    where j.device_id = d.id and j.kind = 'test_print' and j.status = 'printed'),"
        "  (select e.name from public.event_print_stations s"
        "    join public.events e on e.id = s.event_id where s.device_id = d.id)"
        " from public.devices d join public.station_pairings p on p.device_id = d.id"
        " where d.name = %s",
        (station_name,),
    ).fetchone()
    assert row == (True, "idle", "paired", 1, event_name)
    audited = db.execute(
        "select action from public.audit_log where actor_id = %s and action like '%%print_station'"
        " order by id",
        (admin.user_id,),
    ).fetchall()
    assert audited == [("register_print_station",), ("disable_print_station",)]

    def login_locked() -> bool:
        locked = db.execute(
            "select l.locked from public.station_login_locks l"
            " join public.devices d on d.id = l.device_id where d.name = %s",
            (station_name,),
        ).fetchone()
        return locked == (True,)

    wait_for(login_locked, seconds=15, what="the worker to ban the disabled station's login")
