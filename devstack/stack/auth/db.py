"""The few query helpers the Auth service uses: rows as dicts on the gateway's pool."""

from __future__ import annotations

from typing import Any, LiteralString

from psycopg import AsyncConnection
from psycopg.rows import dict_row

Row = dict[str, Any]
Connection = AsyncConnection[Any]


async def fetch_one(conn: Connection, query: LiteralString, params: Any = None) -> Row | None:
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(query, params)
        return await cursor.fetchone()


async def fetch_all(conn: Connection, query: LiteralString, params: Any = None) -> list[Row]:
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(query, params)
        return await cursor.fetchall()


async def execute(conn: Connection, query: LiteralString, params: Any = None) -> int:
    """Run a statement; returns the number of rows it touched."""
    async with conn.cursor() as cursor:
        await cursor.execute(query, params)
        return cursor.rowcount
