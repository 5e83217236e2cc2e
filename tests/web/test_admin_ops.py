"""Operations end to end in Chromium: a worker beating through the real heartbeat code is alive on
the health page; killed (no clean stop), it turns stale there, and the banner warns admins on
every screen. An admin adds a Messaging Service sender (a malformed SID refused first; the insert
audited) and copies the webhook URL for Twilio."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from tests.web.conftest import WEBHOOK_PUBLIC_URL, BrowserRun, StaffLogin
from workers.heartbeat import Heartbeat, ProcessStatus, SupabaseHeartbeatStore


@pytest.fixture
def sender_name(db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[str]:
    """The name of the sender the admin adds; removed afterwards so no other test sends from it."""
    name = f"Ops service {uuid.uuid4().hex[:6]}"
    yield name
    db.execute("delete from public.senders where name = %s", (name,))


@pytest.fixture
def event_name(db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[str]:
    """Two nights: Ada came to both (returning at the second), Bo only to the second (a
    first-timer)."""
    tag = uuid.uuid4().hex[:6]
    name = f"Ops night {tag}"
    ids: list[str] = []
    for slug, title, ago in (
        (f"ops-eve-{tag}", f"Ops eve {tag}", "2 days"),
        # Started a moment ago: the latest started event, so the chart's last 12 include it.
        (f"ops-{tag}", name, "1 second"),
    ):
        row = db.execute(
            "insert into public.events (slug, name, starts_at, ends_at) values"
            " (%s, %s, now() - %s::interval, now() - %s::interval + interval '3 hours')"
            " returning id",
            (slug, title, ago, ago),
        ).fetchone()
        assert row is not None
        ids.append(str(row[0]))
    contacts = [
        str(row[0])
        for row in db.execute(
            "insert into public.contacts (first_name, email)"
            " values ('Ada', %s), ('Bo', %s) returning id",
            (f"ada-{tag}@example.com", f"bo-{tag}@example.com"),
        ).fetchall()
    ]
    for event_id, contact_id, ago in (
        (ids[0], contacts[0], "2 days"),
        (ids[1], contacts[0], "1 second"),
        (ids[1], contacts[1], "1 second"),
    ):
        db.execute(
            "insert into public.check_ins (event_id, contact_id, method, checked_in_at)"
            " values (%s, %s, 'staff', now() - %s::interval)",
            (event_id, contact_id, ago),
        )
    db.execute(
        "insert into public.consent_events (contact_id, channel, status, source)"
        " values (%s, 'sms', 'opted_in', 'staff')",
        (contacts[0],),
    )
    yield name
    db.execute("delete from public.events where id = any(%s::uuid[])", (ids,))
    db.execute("delete from public.contacts where id = any(%s::uuid[])", (contacts,))


def digits(text: str) -> int:
    return int("".join(character for character in text if character.isdigit()))


class BeatingWorker:
    """A worker's heartbeat (the real `Heartbeat` through the service-role REST client) on a
    thread of its own; `kill` cancels it without the clean stop, as SIGKILL would."""

    def __init__(self, stack: LocalStack, process_id: str) -> None:
        self.stack = stack
        self.process_id = process_id
        self.killed = threading.Event()
        self.thread = threading.Thread(target=asyncio.run, args=(self._beat(),))

    async def _beat(self) -> None:
        async with httpx.AsyncClient() as http:
            options = AsyncClientOptions(
                httpx_client=http, auto_refresh_token=False, persist_session=False
            )
            client = await acreate_client(
                self.stack.config.api_url, self.stack.config.service_role_key, options
            )
            claimed_at = datetime.now(UTC)
            heartbeat = Heartbeat(
                SupabaseHeartbeatStore(client),
                self.process_id,
                "worker",
                lambda: ProcessStatus(claimed_at, 2),
                interval_seconds=1,
            )
            beating = asyncio.create_task(heartbeat.run(asyncio.Event()))
            await asyncio.to_thread(self.killed.wait)
            beating.cancel()
            await asyncio.gather(beating, return_exceptions=True)

    def start(self) -> None:
        self.thread.start()

    def kill(self) -> None:
        self.killed.set()
        if self.thread.ident is not None:
            self.thread.join(timeout=10)


def test_a_dead_worker_turns_stale_on_the_health_page_and_admins_see_a_banner(
    make_staff: Callable[..., StaffLogin],
    sender_name: str,
    event_name: str,
    stack: LocalStack,
    run_browser: Any,
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    admin = make_staff("admin")
    worker = BeatingWorker(stack, f"e2e-worker-{uuid.uuid4().hex[:6]}")
    sender_sid = f"MG{uuid.uuid4().hex}"

    def control(command: str) -> str:
        if command == "start-worker":
            worker.start()
        elif command == "kill-worker":
            worker.kill()
        return "ok"

    try:
        run: BrowserRun = run_browser(
            "admin_ops",
            answer=control,
            **admin.browser_env("ADMIN"),
            WORKER_ID=worker.process_id,
            SENDER_NAME=sender_name,
            SENDER_SID=sender_sid,
            WEBHOOK_PUBLIC_URL=WEBHOOK_PUBLIC_URL,
            EVENT_NAME=event_name,
        )
    finally:
        worker.kill()
        db.execute(
            "delete from public.process_heartbeats where process_id = %s", (worker.process_id,)
        )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "health",
        "health-stale",
        "banner",
        "sender-invalid",
        "senders-added",
        "dashboard",
        "health-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    [alive] = [line["worker_alive"] for line in run.lines if "worker_alive" in line]
    # State, last heartbeat, last claim, sending now (2), in doubt (0), version.
    assert alive[0] == "alive"
    assert alive[3:5] == ["2", "0"]
    added = db.execute(
        "select s.messaging_service_sid, s.daily_cap, a.actor_id = (select id from auth.users"
        "  where email = %s) from public.senders s join public.audit_log a"
        "  on a.table_name = 'senders' and a.action = 'insert' and a.record_id = s.id::text"
        " where s.name = %s",
        (admin.email, sender_name),
    ).fetchall()
    assert added == [(sender_sid, 500, True)]

    [numbers] = [line for line in run.lines if "kpis" in line]
    totals = db.execute(
        "select contacts, with_phone, with_email, signed_up from public.dashboard_contact_totals"
    ).fetchone()
    shown = dict(numbers["kpis"])
    assert totals is not None
    assert [
        digits(shown[label]) for label in ("Contacts", "With a phone", "With an email", "Signed up")
    ] == list(totals)
    events = db.execute(
        "select name, first_timers, returning_attendees, check_ins"
        "  from (select * from public.dashboard_checkins_per_event where starts_at <= now()"
        "         order by starts_at desc, event_id desc limit 12) recent"
        " order by starts_at, event_id"
    ).fetchall()
    assert [(row[0], *map(digits, row[1:])) for row in numbers["check_ins"]] == events
    assert (event_name, 1, 1, 2) in events
    # Consent growth: the latest month shows each channel's month-end total from the view.
    latest = dict(
        db.execute(
            "select distinct on (channel) channel::text, opted_in_total"
            "  from public.dashboard_consent_growth order by channel, month desc"
        ).fetchall()
    )
    *_, last_month = numbers["consent"]
    assert [digits(last_month[1]), digits(last_month[2])] == [
        latest.get("sms", 0),
        latest.get("email", 0),
    ]
