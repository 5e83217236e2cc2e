"""Fixtures for the Realtime tests: published RLS tables, supabase-py async clients, raw sockets."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
import websockets
from supabase import AClient, AsyncClientOptions, acreate_client

from hm.stack import keys
from hm.stack.manager import LocalStack

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


@pytest.fixture
def make_table(stack: LocalStack) -> Callable[[], PublishedTable]:
    def make() -> PublishedTable:
        name = "rt_" + uuid.uuid4().hex[:10]
        with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
            conn.execute(TABLE_SQL.replace("{table}", name))
        return PublishedTable(name, stack.config.db_url())

    return make


@pytest.fixture
def user_token(stack: LocalStack) -> Callable[..., str]:
    def make(sub: str, ttl_seconds: int = 3600) -> str:
        return keys.access_token(stack.config.jwt_secret, sub=sub, ttl_seconds=ttl_seconds)

    return make


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


@pytest.fixture
async def make_async_client(stack: LocalStack) -> AsyncIterator[Callable[..., Any]]:
    """supabase-py async clients (vsn 1.0.0), optionally signed in with an access token."""
    made: list[tuple[AClient, httpx.AsyncClient]] = []

    async def make(access_token: str | None = None) -> AClient:
        http_client = httpx.AsyncClient()
        client = await acreate_client(
            stack.config.api_url,
            stack.config.anon_key,
            AsyncClientOptions(httpx_client=http_client, auto_refresh_token=False),
        )
        if access_token is not None:
            await client.realtime.set_auth(access_token)
        made.append((client, http_client))
        return client

    yield make
    for client, http_client in made:
        await client.realtime.close()
        await http_client.aclose()


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


@pytest.fixture
async def raw_socket(stack: LocalStack) -> AsyncIterator[Callable[..., Any]]:
    opened: list[websockets.ClientConnection] = []

    async def open_socket(vsn: str = "1.0.0", apikey: str | None = None) -> RawSocket:
        key = stack.config.anon_key if apikey is None else apikey
        url = f"ws://127.0.0.1:{stack.config.api_port}/realtime/v1/websocket?apikey={key}&vsn={vsn}"
        connection = await websockets.connect(url)
        opened.append(connection)
        return RawSocket(connection, vsn)

    yield open_socket
    for connection in opened:
        await connection.close()
