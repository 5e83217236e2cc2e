"""Helpers the Realtime tests share: a published RLS table, an inbox to await, a raw socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
import websockets

TABLE_SQL = """
create table public.{table} (
  id bigint primary key,
  owner uuid not null,
  device_id uuid,
  n integer,
  label text,
  at timestamptz not null default now()
);
comment on table public.{table} is 'Realtime test fixture';
grant select on public.{table} to anon, authenticated;
alter table public.{table} enable row level security;
create policy "Owners can read their rows" on public.{table}
  for select to authenticated using (owner = (select auth.uid()));
create index on public.{table} (owner);
alter publication supabase_realtime add table public.{table};
"""


@dataclass
class PublishedTable:
    """A fresh table in the supabase_realtime publication: only owners may read a row."""

    name: str
    db_url: str
    next_id: int = 0

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> None:
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            conn.execute(statement.replace("{table}", f"public.{self.name}"), params)

    def insert(self, owner: str, **values: Any) -> int:
        self.next_id += 1
        columns = {"id": self.next_id, "owner": owner, **values}
        names = ", ".join(columns)
        marks = ", ".join(["%s"] * len(columns))
        self.execute(f"insert into {{table}} ({names}) values ({marks})", tuple(columns.values()))
        return self.next_id


@dataclass
class Inbox:
    """Everything a callback received, with a way to wait for what a test expects."""

    items: list[Any] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, item: Any) -> None:
        self.items.append(item)
        self.changed.set()

    async def wait_for(self, predicate: Callable[[Any], bool], within: float = 5.0) -> Any:
        async with asyncio.timeout(within):
            while True:
                for item in self.items:
                    if predicate(item):
                        return item
                self.changed.clear()
                await self.changed.wait()

    async def wait_count(self, count: int, within: float = 5.0) -> list[Any]:
        async with asyncio.timeout(within):
            while len(self.items) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.items


class RawSocket:
    """A bare Phoenix socket for asserting exact frames."""

    def __init__(self, connection: websockets.ClientConnection, vsn: str) -> None:
        self.connection = connection
        self.vsn = vsn
        self.ref = 0

    async def send(
        self, topic: str, event: str, payload: dict[str, Any], join_ref: str | None = None
    ) -> str:
        self.ref += 1
        ref = str(self.ref)
        if self.vsn == "2.0.0":
            frame: Any = [join_ref, ref, topic, event, payload]
        else:
            frame = {"topic": topic, "event": event, "payload": payload, "ref": ref}
            if join_ref is not None:
                frame["join_ref"] = join_ref
        await self.connection.send(json.dumps(frame))
        return ref

    async def receive(self, within: float = 5.0) -> Any:
        frame = await asyncio.wait_for(self.connection.recv(), within)
        return frame if isinstance(frame, bytes) else json.loads(frame)
