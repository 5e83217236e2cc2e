"""Automations that run: one runner at a time in SQL, and a worker process that acts on a due
automation by itself (the text reaches the provider simulator, the run is logged)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import psycopg
import pytest

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.flow_helpers import Connection, texts_to
from workers.automations import AutomationRunner
from workers.ports import AutomationRun
from workers.postgres_store import PostgresOutboxStore

LOCK = "select pg_advisory_xact_lock(hashtextextended('run_due_automations', 0))"


@dataclass(frozen=True)
class CheckedIn:
    event_id: str
    contact_id: str
    phone: str


@pytest.fixture
def checked_in(db: Connection) -> Iterator[CheckedIn]:
    """A contact (opted in, early afternoon where they live) checked in at an event just now."""
    [contact] = scenario.create_contacts(db, 1)
    row = db.execute(
        "insert into public.events (name, slug, starts_at, ends_at)"
        " values ('Runner night', %s, now() - interval '2 hours', now() + interval '1 hour')"
        " returning id::text",
        (f"runner-{secrets.token_hex(4)}",),
    ).fetchone()
    assert row is not None
    event_id = str(row[0])
    db.execute(
        "insert into public.check_ins (event_id, contact_id, method) values (%s, %s, 'staff')",
        (event_id, contact.id),
    )
    yield CheckedIn(event_id, contact.id, contact.phone)
    db.execute("delete from public.automations where name like 'runner-%%'")
    db.execute("delete from public.events where id = %s", (event_id,))


def create_automation(
    db: Connection, event_id: str, action_sql: str, params: tuple[str, ...]
) -> str:
    """An after_check_in automation (delay 0) for the fixture's event only: the session database
    holds other tests' check-ins too."""
    row = db.execute(
        "insert into public.automations (name, event_id, kind, delay_hours, " + action_sql + ")"
        " returning id::text",
        (f"runner-{secrets.token_hex(4)}", event_id, *params),
    ).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
async def store(stack: LocalStack) -> AsyncIterator[PostgresOutboxStore]:
    async with PostgresOutboxStore.open_pool(stack.config.db_url(), 2) as pool:
        yield PostgresOutboxStore(pool)


async def test_one_runner_at_a_time(
    store: PostgresOutboxStore, db: Connection, checked_in: CheckedIn, stack: LocalStack
) -> None:
    tag = f"runner-{secrets.token_hex(3)}"
    automation_id = create_automation(
        db,
        checked_in.event_id,
        "action, tag) values (%s, %s, 'after_check_in', 0, 'add_tag', %s",
        (tag,),
    )
    with psycopg.connect(stack.config.db_url()) as other:  # a runner in the middle of its run
        other.execute(LOCK)
        assert await store.run_due_automations() == [], "a second runner returns at once"
        other.rollback()
    runs = await store.run_due_automations()
    assert [(r.automation_id, r.enqueued) for r in runs] == [(automation_id, 1)]
    tags = db.execute("select tags from public.contacts where id = %s", (checked_in.contact_id,))
    assert tags.fetchone() == ([tag],)
    assert await store.run_due_automations() == [], "once per contact"


@dataclass
class ScriptedAutomationStore:
    answers: list[list[AutomationRun] | Exception]

    async def run_due_automations(self) -> list[AutomationRun]:
        answer = self.answers.pop(0) if self.answers else []
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_the_runner_keeps_going_after_a_failed_call(caplog: pytest.LogCaptureFixture) -> None:
    failed = AutomationRun("a1", "run", 0, 0, "failed", "template gone")
    scripted = ScriptedAutomationStore([ConnectionError("database away"), [failed], []])
    stop = asyncio.Event()
    task = asyncio.create_task(AutomationRunner(scripted, 0.01).run(stop))
    await asyncio.sleep(0.2)
    stop.set()
    await task
    assert scripted.answers == []
    messages = [record.getMessage() for record in caplog.records]
    assert any("running due automations failed" in m for m in messages)
    assert any("automation failed: template gone" in m for m in messages)


@pytest.mark.slow
def test_a_worker_runs_a_due_automation_and_the_text_goes_out(
    system: System, db: Connection, checked_in: CheckedIn
) -> None:
    sender_id, number = scenario.create_sms_sender(db)
    row = db.execute(
        "insert into public.message_templates (name, channel, body)"
        " values (%s, 'sms', 'Thanks for coming, {{first_name}}!') returning id::text",
        (f"runner-{secrets.token_hex(4)}",),
    ).fetchone()
    assert row is not None
    automation_id = create_automation(
        db,
        checked_in.event_id,
        "channel, template_id, sender_id) values (%s, %s, 'after_check_in', 0, 'sms', %s, %s",
        (row[0], sender_id),
    )
    system.start_worker("automations", WORKER_AUTOMATIONS_INTERVAL_SECONDS="1")
    eventually(lambda: texts_to(system.sim.sms(), number).get(checked_in.phone) == 1, 30, "sent")
    log = db.execute(
        "select enqueued, status from public.automation_runs where automation_id = %s",
        (automation_id,),
    ).fetchall()
    assert log == [(1, "completed")]
