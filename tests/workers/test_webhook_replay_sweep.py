"""The webhook replay sweep finds the same events through both store transports (PostgREST RPC
and direct Postgres): an event a dead server stored but never processed is replayed, and a
status callback about a provider id nobody has recorded yet is left parked."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from workers.outbox_store import SupabaseOutboxStore
from workers.ports import WebhookStore
from workers.postgres_store import PostgresOutboxStore

Connection = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture(params=["rest", "postgres"])
async def store(request: pytest.FixtureRequest, stack: LocalStack) -> AsyncIterator[WebhookStore]:
    if request.param == "postgres":
        async with PostgresOutboxStore.open_pool(stack.config.db_url(), 2) as pool:
            yield PostgresOutboxStore(pool)
        return
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        yield SupabaseOutboxStore(client)


def event_status(db: Connection, event_id: str) -> str:
    query = "select status from public.webhook_events where id = %s"
    row = db.execute(query, (event_id,)).fetchone()
    assert row is not None
    return str(row[0])


async def test_an_event_stored_but_never_processed_is_replayed(
    store: WebhookStore, db: Connection
) -> None:
    sid = "SM" + uuid.uuid4().hex
    payload = {"MessageSid": sid, "MessageStatus": "delivered"}
    event_id, duplicate = await store.store_event(
        "twilio", f"{sid}:delivered", "sms_status", payload
    )
    assert not duplicate
    # The server died after storing it: nothing processed it, and a minute has passed.
    db.execute(
        "update public.webhook_events set received_at = now() - interval '1 minute' where id = %s",
        (event_id,),
    )

    assert event_id in await store.list_deferred(5, 1000)
    result = await store.replay_event(event_id)

    # No message has this provider id yet, so the callback is parked, not lost...
    assert result.get("deferred") is True
    assert event_status(db, event_id) == "deferred"
    # ...and the sweep leaves it until the worker records the id (replaying it would only park
    # it again).
    assert event_id not in await store.list_deferred(5, 1000)
