"""Worker heartbeats against the real stack: a beating process reads alive with what it reports,
a clean stop reads stopped, and a process that dies without a word goes stale after three
missed beats."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from tests.polling import wait_for
from workers.heartbeat import Heartbeat, ProcessStatus, SupabaseHeartbeatStore, running_version

Connection = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture
async def heartbeats(stack: LocalStack) -> AsyncIterator[SupabaseHeartbeatStore]:
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        yield SupabaseHeartbeatStore(client)


@pytest.fixture
def process_id(db: Connection) -> Iterator[str]:
    process_id = f"test-{secrets.token_hex(4)}"
    yield process_id
    db.execute("delete from public.process_heartbeats where process_id = %s", (process_id,))


def state_of(db: Connection, process_id: str) -> tuple[Any, ...] | None:
    return db.execute(
        "select case when h.stopped_at is not null then 'stopped'"
        "            when private.process_is_alive(h, now()) then 'alive' else 'stale' end,"
        "       h.version, h.in_flight, h.last_claim_at"
        "  from public.process_heartbeats h where h.process_id = %s",
        (process_id,),
    ).fetchone()


async def test_a_beating_worker_is_alive_and_a_clean_stop_reads_stopped(
    heartbeats: SupabaseHeartbeatStore, db: Connection, process_id: str
) -> None:
    claimed_at = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    heartbeat = Heartbeat(heartbeats, process_id, "worker", lambda: ProcessStatus(claimed_at, 4), 1)
    stop = asyncio.Event()
    beating = asyncio.create_task(heartbeat.run(stop))

    row = await asyncio.to_thread(
        wait_for, lambda: state_of(db, process_id), seconds=10, what="the first heartbeat"
    )
    assert row == ("alive", running_version(), 4, claimed_at)

    stop.set()
    await beating
    assert (state_of(db, process_id) or ())[0] == "stopped"


async def test_a_worker_that_dies_goes_stale_after_three_missed_beats(
    heartbeats: SupabaseHeartbeatStore, db: Connection, process_id: str
) -> None:
    heartbeat = Heartbeat(heartbeats, process_id, "worker", interval_seconds=1)
    beating = asyncio.create_task(heartbeat.run(asyncio.Event()))
    await asyncio.to_thread(
        wait_for, lambda: state_of(db, process_id), seconds=10, what="the first heartbeat"
    )
    # Killed: no clean stop is recorded.
    beating.cancel()
    with pytest.raises(asyncio.CancelledError):
        await beating

    row = await asyncio.to_thread(
        wait_for,
        lambda: state_of(db, process_id),
        lambda row: row is not None and row[0] == "stale",
        seconds=10,
        what="the dead worker reading stale",
    )
    assert row is not None
