"""Automations and unsubscribe in Chromium against the whole local system: an organizer builds
an automation (a thank-you email N hours after a check-in at one event), tests it (who it would
reach, the rendered message), switches it on; with the run log open the runner acts (the worker's
own entry point) and the run appears live, saying what it did; the worker sends the email
through the provider simulator; its List-Unsubscribe URL is posted to like a mail client does
(RFC 8058 one-click); the person opens the email's preference link on a phone, sees they are
unsubscribed from emails, stops texts too, reads it in Spanish; a forged link gets its own page
and changes nothing. axe on every state."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from devstack.local_messaging import LocalMessaging
from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.polling import wait_for
from tests.web.conftest import BrowserRun
from workers.automations import AutomationRunner
from workers.postgres_store import PostgresOutboxStore

Connection = psycopg.Connection[tuple[Any, ...]]
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class Attendee:
    contact_id: str
    email: str
    event_name: str
    template_name: str
    sender_name: str


@pytest.fixture
def attendee(db: Connection) -> Iterator[Attendee]:
    """A contact (opted in; early afternoon where they live) checked in just now at an event of
    their own, an email template and an email sender; removed afterwards (the stack is shared)."""
    suffix = secrets.token_hex(4)
    [contact] = scenario.create_contacts(db, 1)
    sender_id = scenario.create_email_sender(db)
    sender = db.execute("select name from public.senders where id = %s", (sender_id,)).fetchone()
    assert sender is not None
    event_name = f"Automation night {suffix}"
    event = db.execute(
        "insert into public.events (name, slug, starts_at, ends_at)"
        " values (%s, %s, now() - interval '2 hours', now() + interval '1 hour') returning id",
        (event_name, f"automation-night-{suffix}"),
    ).fetchone()
    assert event is not None
    template_name = f"Thank-you email {suffix}"
    db.execute(
        "insert into public.message_templates (name, channel, subject, body) values (%s, 'email',"
        " 'Thanks, {{first_name}}', 'Thanks for coming to {{event_name}}, {{first_name}}!')",
        (template_name,),
    )
    db.execute(
        "insert into public.check_ins (event_id, contact_id, method) values (%s, %s, 'staff')",
        (event[0], contact.id),
    )
    yield Attendee(contact.id, contact.email, event_name, template_name, str(sender[0]))
    db.execute(
        "delete from public.automations where template_id in"
        " (select id from public.message_templates where name = %s)",
        (template_name,),
    )
    # Nothing left for a worker to send later; what was sent stays (the ledger cites it).
    db.execute(
        "delete from public.messages where contact_id = %s and status = 'queued'", (contact.id,)
    )
    db.execute("delete from public.message_templates where name = %s", (template_name,))
    db.execute("delete from public.events where id = %s", (event[0],))
    db.execute("update public.senders set enabled = false where id = %s", (sender_id,))


@pytest.fixture
def organizer(supabase_env: dict[str, str]) -> tuple[str, str]:
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        added = staff.add_staff(api, f"auto-{uuid.uuid4().hex[:8]}@hellomiami.local", "organizer")
    return added.member.email, added.password


async def run_automations_as_the_worker_does(stack: LocalStack) -> int:
    async with PostgresOutboxStore.open_pool(stack.config.db_url(), 1) as pool:
        return await AutomationRunner(PostgresOutboxStore(pool)).run_once()


def sent_email(texting: LocalMessaging, address: str) -> dict[str, Any]:
    def emails() -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = httpx.get(
            f"{texting.simulator.url}/_sim/emails", timeout=10
        ).json()
        return [e for e in records if e["to"][0] == address]

    return wait_for(emails, seconds=30, what=f"the automation's email to {address}")[0]


def test_an_automation_emails_an_attendee_who_then_unsubscribes(
    attendee: Attendee,
    organizer: tuple[str, str],
    texting: LocalMessaging,
    stack: LocalStack,
    run_browser: Callable[..., BrowserRun],
    db: Connection,
) -> None:
    email, password = organizer
    automation_name = f"Thank you {secrets.token_hex(3)}"
    one_click: dict[str, Any] = {}

    def answer(request: str) -> str:
        asked = json.loads(request)
        if "run_automations" in asked:
            # The worker (WORKER_AUTOMATIONS_INTERVAL_SECONDS) may have run it first: one runner
            # at a time, once per contact, so either way it acted exactly once.
            asyncio.run(run_automations_as_the_worker_does(stack))
            mail = sent_email(texting, attendee.email)
            headers = {h["name"]: h["value"] for h in mail["headers"]}
            assert headers["List-Unsubscribe-Post"] == ONE_CLICK
            url = headers["List-Unsubscribe"].strip("<>")
            assert url.startswith(f"{texting.webhook_url}/unsubscribe?t=u1.")
            token = parse_qs(urlsplit(url).query)["t"][0]
            assert f"/unsubscribe?t={token}" in mail["text"], "the body links the preference page"
            response = httpx.post(
                url,
                content=ONE_CLICK,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=10,
            )
            one_click.update(response.json())
            return token
        raise AssertionError(f"unexpected request {request}")

    run = run_browser(
        "automations_and_unsubscribe",
        answer=answer,
        STAFF_EMAIL=email,
        STAFF_PASSWORD=password,
        AUTOMATION_NAME=automation_name,
        EVENT_NAME=attendee.event_name,
        TEMPLATE_NAME=attendee.template_name,
        SENDER_NAME=attendee.sender_name,
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "list",
        "editor-invalid",
        "editor-saved",
        "tested",
        "list-enabled",
        "run-log",
        "compliance-read-only",
        "preferences-unsubscribed",
        "preferences-saved",
        "preferences-es",
        "link-invalid",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert run.result["outside_requests"] == []
    assert one_click == {"unsubscribed": True, "changed": True}
    assert run.result["preview"] == f"Thanks for coming to {attendee.event_name}, Guest0!"
    # Time, automation, occasion (the event), what it did, acted on, skipped, result.
    assert run.result["run_cells"][1:] == [
        automation_name,
        attendee.event_name,
        f"Sent “{attendee.template_name}” by Email",
        "1",
        "0",
        "Done",
    ]

    runs = db.execute(
        "select r.enqueued, r.status from public.automation_runs r"
        " join public.automations a on a.id = r.automation_id where a.name = %s",
        (automation_name,),
    ).fetchall()
    assert runs == [(1, "completed")]
    ledger = db.execute(
        "select channel::text, status::text, source::text from public.consent_events"
        " where contact_id = %s and source in ('email_unsubscribe', 'preference_page')"
        " order by id",
        (attendee.contact_id,),
    ).fetchall()
    assert ledger == [
        ("email", "opted_out", "email_unsubscribe"),
        ("sms", "opted_out", "preference_page"),
    ]
