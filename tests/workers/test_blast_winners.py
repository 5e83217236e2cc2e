"""The A/B winner runner over a fake store (the SQL it calls is covered by pgTAP
841-blast-ab-winner.sql), and once through the real stack: a due A/B blast is decided by the
runner's own supabase-py call and its held recipients are queued with the winner's text."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from psycopg.types.json import Jsonb
from supabase import AsyncClientOptions, acreate_client

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from workers.blast_winners import SupabaseWinnerStore, WinnerDecision, WinnerRunner

Connection = psycopg.Connection[tuple[Any, ...]]


@dataclass
class FakeWinners:
    due: list[WinnerDecision]
    failures: int = 0
    calls: list[int] = field(default_factory=list)

    async def decide_blast_winners(self) -> list[WinnerDecision]:
        self.calls.append(len(self.due))
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        decided, self.due = self.due, []
        return decided


def test_a_row_becomes_a_decision() -> None:
    row = {"blast_id": "b1", "winners": {"sms": "B"}, "released_recipients": 30, "reason": "B won"}
    assert WinnerDecision.from_row(row) == WinnerDecision("b1", {"sms": "B"}, 30, "B won")
    cancelled = {"blast_id": "b2", "winners": None, "released_recipients": 0, "reason": "cancelled"}
    assert WinnerDecision.from_row(cancelled).winners == {}


async def test_a_failed_call_is_retried_at_the_next_interval() -> None:
    store = FakeWinners([WinnerDecision("b1", {"sms": "A"}, 5, "A won")], failures=1)
    stop = asyncio.Event()
    task = asyncio.create_task(WinnerRunner(store, interval_seconds=0.01).run(stop))
    for _ in range(200):
        if not store.due:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task
    assert store.due == []
    assert len(store.calls) >= 2


@pytest.fixture
async def winners(stack: LocalStack) -> AsyncIterator[SupabaseWinnerStore]:
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        yield SupabaseWinnerStore(client)


def one_id(db: Connection, sql: str, params: tuple[Any, ...]) -> str:
    row = db.execute(sql, params).fetchone()
    assert row is not None
    return str(row[0])


def started_ab_blast(db: Connection, recipients: int) -> str:
    """An SMS blast with variants A and B (10 %, at least 2 each, in the test), started; its
    decision is due at once."""
    contacts = scenario.create_contacts(db, recipients)
    tag = secrets.token_hex(3)
    sender = one_id(
        db,
        "insert into public.senders (name, channel, provider, from_number, mps_segments)"
        " values (%s, 'sms', 'twilio', %s, 100) returning id",
        (f"Winner {tag}", f"+1305{secrets.randbelow(10**7):07d}"),
    )
    template = (
        "insert into public.message_templates (name, channel, body)"
        " values (%s, 'sms', %s) returning id"
    )
    tpl_a = one_id(db, template, (f"Winner A {tag}", "A {{first_name}}"))
    tpl_b = one_id(db, template, (f"Winner B {tag}", "B {{first_name}}"))
    spec = {
        "name": f"Winner {tag}",
        "channel": "sms",
        "sms_sender_id": sender,
        "contact_ids": [c.id for c in contacts],
        "variants": [
            {"channel": "sms", "label": "A", "template_id": tpl_a, "weight": 50},
            {"channel": "sms", "label": "B", "template_id": tpl_b, "weight": 50},
        ],
        "winner": {
            "test_percent": 10,
            "min_per_variant": 2,
            "decide_after_minutes": 1,
            "metric": "delivery_rate",
        },
    }
    with db.transaction():
        db.execute("select set_config('request.jwt.claims', '{\"role\": \"service_role\"}', true)")
        blast = one_id(db, "select (public.create_blast(%s)).id", (Jsonb(spec),))
        db.execute("select public.start_blast(%s)", (blast,))
        db.execute(
            "update public.blast_ab_tests set decide_at = now() - interval '1 second'"
            " where blast_id = %s",
            (blast,),
        )
    return blast


async def test_the_runner_decides_a_due_blast_and_queues_the_rest(
    db: Connection, winners: SupabaseWinnerStore
) -> None:
    blast = started_ab_blast(db, 24)
    held = db.execute(
        "select count(*) from public.blast_recipients where blast_id = %s and status = 'held'",
        (blast,),
    ).fetchone()
    assert held == (20,)
    decisions = [d for d in await WinnerRunner(winners).run_once() if d.blast_id == blast]
    assert len(decisions) == 1
    # No test text has gone out yet: no results, so the first variant goes to the rest.
    assert decisions[0].winners == {"sms": "A"}
    assert decisions[0].released == 20
    assert "no test results" in decisions[0].reason
    rows = db.execute(
        "select status, variant, count(*), bool_and(body like variant || ' Guest%%')"
        " from public.blast_recipients where blast_id = %s group by 1, 2 order by 1, 2",
        (blast,),
    ).fetchall()
    # The 20 held now carry A's text; the test group (2 each) keeps its own.
    assert rows == [("pending", "A", 22, True), ("pending", "B", 2, True)]
    assert [d for d in await winners.decide_blast_winners() if d.blast_id == blast] == []
