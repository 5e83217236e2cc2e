"""Reading committed changes from the WAL, as Supabase Realtime's ReplicationPoller does.

A logical replication slot with the wal2json plugin (format-version 2) is polled with
`pg_logical_slot_get_changes` every POLL_INTERVAL seconds while anyone listens for changes
(IDLE_POLL_INTERVAL otherwise, just to keep the slot drained), and again at once while it
returns rows. Polling, rather than streaming, is what Supabase Realtime itself does; it needs
only an ordinary connection from the gateway's pool (psycopg has no async streaming-replication
client), and a poll that fails is simply retried. The slot is dropped and recreated when the
service starts, so a gateway that crashed never leaves a slot behind pinning WAL, and dropped
when it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("hm.realtime.wal")

SLOT_NAME = "hm_realtime"
PUBLICATION = "supabase_realtime"
POLL_INTERVAL = 0.02
# With no postgres_changes subscriber there is nobody to be prompt for: a slower drain keeps a
# stack that nobody listens to from polling 50 times a second on a shared machine.
IDLE_POLL_INTERVAL = 0.5
MAX_CHANGES_PER_POLL = 1000
RETRY_DELAY = 1.0
DISPATCH_RETRY_DELAY = 0.1
ACTIONS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}


@dataclass(frozen=True)
class WalColumn:
    name: str
    type_oid: int
    # The value as wal2json writes it: JSON numbers and booleans, everything else as text.
    value: Any

    @property
    def text(self) -> str | None:
        """The value as Postgres would print it (what filters compare)."""
        if self.value is None:
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class Change:
    """One committed row change of a table in the publication."""

    type: str  # INSERT | UPDATE | DELETE
    schema: str
    table: str
    commit_time: dt.datetime
    columns: tuple[WalColumn, ...]
    # Old values: the primary key (replica identity default) or the whole row (full).
    identity: tuple[WalColumn, ...]
    primary_key: tuple[str, ...]

    @property
    def commit_timestamp(self) -> str:
        """Supabase's format: UTC, millisecond precision, `Z` suffix."""
        utc = self.commit_time.astimezone(dt.UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_change(data: str) -> Change | None:
    """A Change from one wal2json format-version 2 row; None for other actions."""
    row = json.loads(data)
    action = ACTIONS.get(row.get("action", ""))
    if action is None:
        return None
    return Change(
        type=action,
        schema=row["schema"],
        table=row["table"],
        commit_time=dt.datetime.fromisoformat(row["timestamp"]),
        columns=_columns(row.get("columns")),
        identity=_columns(row.get("identity")),
        primary_key=tuple(column["name"] for column in row.get("pk") or ()),
    )


def _columns(raw: list[dict[str, Any]] | None) -> tuple[WalColumn, ...]:
    return tuple(
        WalColumn(column["name"], int(column.get("typeoid", 0)), column.get("value"))
        for column in raw or ()
    )


ChangeHandler = Callable[[list[Change]], Awaitable[None]]


class WalReader:
    """Polls the slot and hands each batch of publication changes to `on_changes`."""

    def __init__(
        self, pool: AsyncConnectionPool, on_changes: ChangeHandler, slot_name: str = SLOT_NAME
    ) -> None:
        self.pool = pool
        self.on_changes = on_changes
        self.slot_name = slot_name
        self._task: asyncio.Task[None] | None = None
        self._listening = False
        self._woken = asyncio.Event()

    def set_listening(self, listening: bool) -> None:
        """Poll promptly (someone subscribed to changes) or idly; a new listener wakes the loop."""
        if listening and not self._listening:
            self._woken.set()
        self._listening = listening

    async def start(self) -> None:
        await self._recreate_slot()
        self._task = asyncio.create_task(self._run(), name="realtime-wal")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._drop_slot()

    async def _recreate_slot(self) -> None:
        await self._drop_slot()
        await self._ensure_slot()

    async def _ensure_slot(self) -> None:
        """Create the slot unless it exists (someone may have dropped it under us)."""
        async with self.pool.connection() as conn:
            await conn.execute(
                "select pg_catalog.pg_create_logical_replication_slot(%(slot)s, 'wal2json')"
                " where not exists (select from pg_catalog.pg_replication_slots"
                " where slot_name = %(slot)s)",
                {"slot": self.slot_name},
            )

    async def _drop_slot(self) -> None:
        async with self.pool.connection() as conn:
            # A slot still held by a dead gateway's session must be released before dropping.
            await conn.execute(
                "select pg_catalog.pg_terminate_backend(active_pid)"
                " from pg_catalog.pg_replication_slots where slot_name = %s and active",
                (self.slot_name,),
            )
            await conn.execute(
                "select pg_catalog.pg_drop_replication_slot(slot_name)"
                " from pg_catalog.pg_replication_slots where slot_name = %s",
                (self.slot_name,),
            )

    async def _run(self) -> None:
        while True:
            try:
                changes, more = await self.poll()
            except Exception:
                log.exception("polling the WAL failed; retrying in %s s", RETRY_DELAY)
                await asyncio.sleep(RETRY_DELAY)
                await self._recover()
                continue
            if changes:
                await self._hand_over(changes)
            if not more:
                await self._pause()

    async def _hand_over(self, changes: list[Change]) -> None:
        """Dispatch a batch; the slot has already moved past it, so a failure is retried once
        (a database hiccup during the RLS checks) before the batch is reported lost."""
        for attempt in (1, 2):
            try:
                await self.on_changes(changes)
                return
            except Exception:
                log.exception("dispatching %d changes failed (attempt %d)", len(changes), attempt)
                await asyncio.sleep(DISPATCH_RETRY_DELAY)
        log.error("%d changes were not delivered to subscribers", len(changes))

    async def _pause(self) -> None:
        interval = POLL_INTERVAL if self._listening else IDLE_POLL_INTERVAL
        self._woken.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), interval)

    async def _recover(self) -> None:
        try:
            await self._ensure_slot()
        except Exception:
            log.exception("recreating replication slot %s failed", self.slot_name)

    async def poll(self) -> tuple[list[Change], bool]:
        """Consume the next changes; also says whether the slot may hold more right now."""
        async with self.pool.connection() as conn:
            # Every call logs "starting logical decoding for slot …" and "… found consistent
            # point" at LOG, which log_min_messages ranks above ERROR: at one poll per 20 ms
            # that was ~37 MB of server log an hour. Quiet for this transaction only; a failed
            # poll is still logged here (`_run`).
            await conn.execute("set local log_min_messages = fatal")
            # Only the published tables are decoded (wal2json's add-tables), as hosted Realtime
            # decodes only its publication: formatting and parsing every change of every other
            # table (journals, counters) would cost this process more than the changes it serves.
            published = await _published_tables(conn)
            cursor = await conn.execute(
                "select data from pg_catalog.pg_logical_slot_get_changes("
                " %s, null, %s, 'format-version', '2', 'include-timestamp', '1',"
                " 'include-type-oids', '1', 'include-pk', '1', 'include-transaction', '0',"
                " 'actions', 'insert,update,delete', 'add-tables', %s)",
                (self.slot_name, MAX_CHANGES_PER_POLL, wal2json_table_filter(published)),
            )
            rows = await cursor.fetchall()
            if not rows:
                return [], False
        changes = [change for (data,) in rows if (change := parse_change(data)) is not None]
        return [c for c in changes if (c.schema, c.table) in published], len(
            rows
        ) >= MAX_CHANGES_PER_POLL


def wal2json_table_filter(tables: set[tuple[str, str]]) -> str:
    """wal2json's add-tables list: schema.table, with its separators escaped. An empty
    publication names a table that cannot exist, so the slot is still drained."""
    if not tables:
        return "pg_catalog.no_published_table"

    def escape(name: str) -> str:
        return "".join(f"\\{char}" if char in ",.*\\ '" else char for char in name)

    return ",".join(sorted(f"{escape(schema)}.{escape(table)}" for schema, table in tables))


async def _published_tables(conn: Any) -> set[tuple[str, str]]:
    cursor = await conn.execute(
        "select schemaname, tablename from pg_catalog.pg_publication_tables where pubname = %s",
        (PUBLICATION,),
    )
    return {(schema, table) for schema, table in await cursor.fetchall()}
