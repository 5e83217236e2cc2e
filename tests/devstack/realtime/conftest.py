"""Fixtures for the Realtime tests: published RLS tables, supabase-py async clients, raw sockets."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import psycopg
import pytest
import websockets
from supabase import AClient, AsyncClientOptions, acreate_client

from devstack.stack import keys
from devstack.stack.manager import LocalStack
from tests.devstack.realtime.helpers import TABLE_SQL, PublishedTable, RawSocket


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
