"""Which subscribers may see a changed row: RLS checked as each subscriber, as Supabase does.

For each change on a table with row level security, each distinct identity (database role plus
JWT claims) among the matching subscribers is checked once, inside one transaction:
`set_config('role', …)`, `set_config('request.jwt.claims', …)`, then a select of the row by
its primary key, so policies calling auth.uid() or auth.jwt() see that subscriber. A hundred
subscribers with the same claims cost one check. DELETEs cannot be checked (the row is gone):
like Supabase, they go to every matching subscriber, with only the primary key in old_record.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import AsyncConnection, sql

from devstack.stack.realtime.records import TableView
from devstack.stack.realtime.wal import Change

log = logging.getLogger("hm.realtime.authorization")


@dataclass(frozen=True)
class Identity:
    """Who a subscriber is to Postgres: the JWT's role and its claims (canonical JSON)."""

    role: str
    claims_json: str

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Identity:
        return cls(str(claims["role"]), json.dumps(claims, sort_keys=True, separators=(",", ":")))


async def visible_to(
    conn: AsyncConnection[Any], change: Change, view: TableView, identities: Iterable[Identity]
) -> set[Identity]:
    """The identities that may SELECT the changed row (all of them when RLS does not apply)."""
    candidates = set(identities)
    if not view.rls_enabled or change.type == "DELETE" or not candidates:
        return candidates
    key = _primary_key(change, view)
    if key is None:
        log.warning("%s.%s has no primary key: changes go to nobody", change.schema, change.table)
        return set()
    query = sql.SQL("select exists(select 1 from {table} where {condition})").format(
        table=sql.Identifier(change.schema, change.table),
        condition=sql.SQL(" and ").join(
            sql.SQL("{} = {}::{}").format(
                sql.Identifier(name), sql.Placeholder(), sql.Identifier(type_name)
            )
            for name, type_name, _ in key
        ),
    )
    values = [value for _, _, value in key]
    visible: set[Identity] = set()
    async with conn.transaction():
        for identity in candidates:
            if await _can_see(conn, identity, query, values, change):
                visible.add(identity)
    return visible


def _primary_key(change: Change, view: TableView) -> list[tuple[str, str, str | None]] | None:
    values = {column.name: column.text for column in change.columns}
    key = [(c.name, c.type_name, values.get(c.name)) for c in view.columns if c.is_pkey]
    return key or None


async def _can_see(
    conn: AsyncConnection[Any],
    identity: Identity,
    query: sql.Composed,
    values: list[str | None],
    change: Change,
) -> bool:
    try:
        # A savepoint per identity: one subscriber's failing policy must not hide the row
        # from the others.
        async with conn.transaction():
            await conn.execute(
                "select pg_catalog.set_config('role', %s, true),"
                " pg_catalog.set_config('request.jwt.claims', %s, true)",
                (identity.role, identity.claims_json),
            )
            cursor = await conn.execute(query, values)
            row = await cursor.fetchone()
            await conn.execute("select pg_catalog.set_config('role', 'none', true)")
            return bool(row and row[0])
    except psycopg.Error as error:
        log.warning(
            "RLS check of %s.%s as role %s failed, change withheld: %s",
            change.schema,
            change.table,
            identity.role,
            error,
        )
        return False
