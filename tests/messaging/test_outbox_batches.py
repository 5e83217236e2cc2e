"""The batch outbox calls through both store transports (PostgREST RPC and direct Postgres):
mark many, record many, and a provider id held by a status callback in flight is recorded
afterwards, one by one, instead of deadlocking or being lost."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from workers.outbox_store import SupabaseOutboxStore
from workers.ports import OutboxStore, SentResult
from workers.postgres_store import PostgresOutboxStore

from .ready_blast import IN_WINDOW, ReadyBlast

Connection = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture(params=["rest", "postgres"])
async def store(request: pytest.FixtureRequest, stack: LocalStack) -> AsyncIterator[OutboxStore]:
    if request.param == "postgres":
        async with PostgresOutboxStore.open_pool(stack.config.db_url(), 4) as pool:
            yield PostgresOutboxStore(pool)
        return
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        yield SupabaseOutboxStore(client)


async def _claim(store: OutboxStore, worker: str, count: int) -> list[str]:
    claimed = await store.claim(worker, "sms", count, 3600, IN_WINDOW)
    assert len(claimed) == count
    return [message.id for message in claimed]


def _statuses(db: Connection, message_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    rows = db.execute(
        "select id::text, status::text, provider_id from public.messages"
        " where id = any(%s::uuid[])",
        (message_ids,),
    ).fetchall()
    return {str(row[0]): (str(row[1]), row[2]) for row in rows}


async def test_many_are_marked_and_recorded_in_one_call_each(
    store: OutboxStore, db: Connection, make_ready_blast: Callable[[int, float], ReadyBlast]
) -> None:
    make_ready_blast(3, 100.0)
    worker = f"batch-{uuid.uuid4().hex[:8]}"
    ids = await _claim(store, worker, 3)

    sendable = await store.mark_sending([*ids, str(uuid.uuid4())], worker)
    assert sendable == set(ids)
    assert await store.mark_sending(ids, worker) == set(), "marking again sends nothing twice"

    await store.record_sent([SentResult(m, f"SM{m.replace('-', '')}", "queued") for m in ids])
    assert _statuses(db, ids) == {m: ("sent", f"SM{m.replace('-', '')}") for m in ids}


async def test_a_provider_id_busy_with_a_callback_is_recorded_once_it_is_free(
    store: OutboxStore,
    stack: LocalStack,
    db: Connection,
    make_ready_blast: Callable[[int, float], ReadyBlast],
) -> None:
    make_ready_blast(2, 100.0)
    worker = f"busy-{uuid.uuid4().hex[:8]}"
    free_id, busy_id = await _claim(store, worker, 2)
    assert await store.mark_sending([free_id, busy_id], worker) == {free_id, busy_id}
    free_sid, busy_sid = f"SMfree{free_id[:8]}", f"SMbusy{busy_id[:8]}"

    with psycopg.connect(stack.config.db_url()) as callback:
        # A webhook transaction processing a callback about busy_sid holds its lock.
        callback.execute(
            "select pg_advisory_xact_lock(private.provider_message_lock_key(%s))", (busy_sid,)
        )
        recording = asyncio.create_task(
            store.record_sent(
                [SentResult(free_id, free_sid, "queued"), SentResult(busy_id, busy_sid, "queued")]
            )
        )
        await asyncio.sleep(1.0)
        assert not recording.done(), "the busy one waits for the callback to finish"
        assert _statuses(db, [free_id, busy_id]) == {
            free_id: ("sent", free_sid),
            busy_id: ("sending", None),
        }, "the batch committed the free one without waiting"
        callback.commit()
    await asyncio.wait_for(recording, 30)
    assert _statuses(db, [busy_id]) == {busy_id: ("sent", busy_sid)}
