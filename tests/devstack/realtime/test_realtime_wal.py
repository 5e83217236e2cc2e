"""The WAL reader: its own slot, published tables only, and safe restarts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from devstack.stack.manager import LocalStack
from devstack.stack.postgres import SUPERUSER
from devstack.stack.realtime.wal import Change, WalReader
from tests.devstack.realtime.helpers import Inbox, PublishedTable


@pytest.fixture
async def pool(stack: LocalStack) -> AsyncIterator[AsyncConnectionPool]:
    # As the gateway's Realtime connects: the platform's admin role, as on hosted.
    pool = AsyncConnectionPool(stack.config.db_url(SUPERUSER), min_size=1, max_size=4, open=False)
    await pool.open(wait=True)
    yield pool
    await pool.close()


def slots(stack: LocalStack, name: str) -> list[tuple[str, bool]]:
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        query = "select slot_name, active from pg_replication_slots where slot_name = %s"
        return [(row[0], row[1]) for row in conn.execute(query, (name,)).fetchall()]


async def test_reader_sees_published_tables_and_survives_restart_and_a_lost_slot(
    stack: LocalStack, pool: AsyncConnectionPool, make_table: Callable[[], PublishedTable]
) -> None:
    slot = f"hm_realtime_test_{uuid.uuid4().hex[:8]}"
    table = make_table()
    owner = str(uuid.uuid4())
    unpublished = f"rt_private_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(f"create table public.{unpublished} (id int primary key)")

    inbox = Inbox()

    async def collect(changes: list[Change]) -> None:
        for change in changes:
            inbox.add(change)

    first = WalReader(pool, collect, slot_name=slot)
    await first.start()
    table.execute(f"insert into public.{unpublished} values (1)")
    row = table.insert(owner)
    seen = await inbox.wait_for(lambda c: c.table == table.name)
    assert (seen.type, seen.columns[0].value) == ("INSERT", row)
    assert all(change.table != unpublished for change in inbox.items)

    # A gateway that died without cleaning up leaves its slot behind: the next one takes over.
    assert first._task is not None
    first._task.cancel()
    second = WalReader(pool, collect, slot_name=slot)
    await second.start()
    after_restart = table.insert(owner)
    await inbox.wait_for(lambda c: c.table == table.name and c.columns[0].value == after_restart)

    # Someone drops the slot: the reader logs the failure and recreates it.
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(
            "select pg_terminate_backend(active_pid) from pg_replication_slots"
            " where slot_name = %s and active",
            (slot,),
        )
        conn.execute("select pg_drop_replication_slot(%s)", (slot,))
    await asyncio.sleep(0.2)
    async with asyncio.timeout(10):
        # Only the catalog tells when the reader has recreated its slot.
        while not slots(stack, slot):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    recovered = table.insert(owner)
    await inbox.wait_for(lambda c: c.table == table.name and c.columns[0].value == recovered)

    await second.stop()
    assert slots(stack, slot) == []


async def test_polling_leaves_the_postgres_log_quiet(
    stack: LocalStack, pool: AsyncConnectionPool
) -> None:
    slot = f"hm_realtime_quiet_{uuid.uuid4().hex[:8]}"
    postgres_log = stack.config.log_dir / "postgres.log"

    async def ignore(changes: list[Change]) -> None:
        del changes

    reader = WalReader(pool, ignore, slot_name=slot)
    await reader.start()
    reader.set_listening(True)  # the fastest polling: every POLL_INTERVAL
    try:
        await asyncio.sleep(1.0)
    finally:
        await reader.stop()
    assert f'slot "{slot}"' not in postgres_log.read_text(errors="replace")
