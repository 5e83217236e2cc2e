"""postgres_changes bindings of a join: parsed, checked against the publication, identified.

The join reply echoes each binding as the client sent it plus an integer `id` (Supabase uses
`:erlang.phash2(params)`; we use a CRC of the canonical JSON in the same 27-bit range), and the
clients match the reply to their bindings by position.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from devstack.stack.realtime.filters import Filter, FilterError, parse_filter
from devstack.stack.realtime.wal import PUBLICATION, Change

EVENTS = ("INSERT", "UPDATE", "DELETE")


class BindingError(ValueError):
    """A binding Supabase Realtime would refuse; the message is what it reports."""


@dataclass(frozen=True)
class Binding:
    id: int
    event: str  # "*" or one of EVENTS
    schema: str
    table: str  # "*" means every published table of the schema
    filters: tuple[Filter, ...]
    # Columns to send (`select`); None sends every column the subscriber may read.
    select: tuple[str, ...] | None = None

    def covers(self, change: Change) -> bool:
        return (
            (self.event in ("*", change.type))
            and (self.schema in ("*", change.schema))
            and (self.table in ("*", change.table))
        )

    def describe(self) -> str:
        filters = ", ".join(f"{{{f.column}, {f.op}, {','.join(f.values)}}}" for f in self.filters)
        return (
            f"event: {self.event}, schema: {self.schema}, table: {self.table}, filters: [{filters}]"
        )


def binding_id(params: dict[str, Any]) -> int:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"))
    return zlib.crc32(canonical.encode()) & (2**27 - 1)


def parse_binding(params: dict[str, Any]) -> Binding:
    schema, table, filter_text = params.get("schema"), params.get("table"), params.get("filter")
    if schema is None and table is None:
        raise BindingError(
            "No subscription params provided. Please provide at least a `schema` or `table`"
            f" to subscribe to: {json.dumps(params)}"
        )
    try:
        filters = parse_filter(filter_text) if isinstance(filter_text, str) else ()
    except FilterError as error:
        raise BindingError(str(error)) from error
    event = str(params.get("event", "*")).upper()
    binding = Binding(
        id=binding_id(params),
        event=event if event in EVENTS else "*",
        schema=str(schema) if schema is not None else "public",
        table=str(table) if table is not None else "*",
        filters=filters,
        select=_select(params.get("select")),
    )
    if binding.select is not None and "*" in (binding.schema, binding.table):
        raise BindingError(
            "Column selection is not supported for wildcard subscriptions. Provide an explicit"
            " schema and table name."
        )
    return binding


def _select(raw: Any) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise BindingError(
            "Error parsing `select` params: expected a list of column name strings,"
            ' e.g. select: ["col1", "col2"]'
        )
    names = tuple(name for name in raw if isinstance(name, str))
    return names or None


PUBLISHED_COLUMNS_SQL = """
select pt.schemaname, pt.tablename, a.attname
from pg_catalog.pg_publication_tables pt
join pg_catalog.pg_namespace n on n.nspname = pt.schemaname
join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = pt.tablename
join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where pt.pubname = %s
"""


async def check_published(conn: AsyncConnection[Any], bindings: list[Binding]) -> str | None:
    """Supabase's subscription error for the first binding it would refuse, else None."""
    if not bindings:
        return None
    cursor = await conn.execute(PUBLISHED_COLUMNS_SQL, (PUBLICATION,))
    columns: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in await cursor.fetchall():
        columns.setdefault((schema, table), set()).add(column)
    for binding in bindings:
        tables = [
            names
            for (schema, table), names in columns.items()
            if binding.schema in ("*", schema) and binding.table in ("*", table)
        ]
        if not tables:
            return (
                "Unable to subscribe to changes with given parameters. Please check Realtime is"
                f" enabled for the given connect parameters: [{binding.describe()}]"
            )
        for column in binding.select or ():
            if not any(column in names for names in tables):
                return (
                    "Unable to subscribe to changes with given parameters. An exception happened"
                    f" so please check your connect parameters: [{binding.describe()}]."
                    f" Exception: ERROR P0001 (raise_exception) invalid column for select {column}"
                )
        for filter_ in binding.filters:
            if not any(filter_.column in names for names in tables):
                return (
                    "Unable to subscribe to changes with given parameters. An exception happened"
                    f" so please check your connect parameters: [{binding.describe()}]."
                    f" Exception: ERROR P0001 (raise_exception) invalid column for filter"
                    f" {filter_.column}"
                )
    return None
