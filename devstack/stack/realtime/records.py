"""The `data` of a postgres_changes push, shaped as Supabase Realtime's `realtime.apply_rls` does.

Values are rendered as Postgres's `to_jsonb(value::type)` would (timestamps in ISO 8601 with
`T`, json as JSON, arrays as JSON arrays); `columns` and the records list only the columns the
subscriber's role may SELECT; INSERT carries `record`, UPDATE `record` and `old_record`, DELETE
`old_record`, which on a table with RLS enabled holds only the primary key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from devstack.stack.realtime.filters import ColumnValue
from devstack.stack.realtime.wal import Change, WalColumn


@dataclass(frozen=True)
class TableColumn:
    name: str
    type_name: str  # pg_type.typname, what supabase-js converts values by
    is_pkey: bool
    selectable: bool


@dataclass(frozen=True)
class TableView:
    """A table as one role sees it."""

    rls_enabled: bool
    columns: tuple[TableColumn, ...]

    @property
    def key_readable(self) -> bool:
        """Whether the table has a primary key and the role may SELECT all of it.

        Supabase answers changes failing this with an error record ("Error 400: Bad Request,
        no primary key" or "Error 401: Unauthorized") and no data; we send nothing.
        """
        key = [c for c in self.columns if c.is_pkey]
        return bool(key) and all(c.selectable for c in key)

    def type_of(self, name: str) -> str:
        for column in self.columns:
            if column.name == name:
                return column.type_name
        return "text"


TABLE_VIEW_SQL = """
select c.relrowsecurity, a.attname, t.typname,
       coalesce(a.attnum = any(i.indkey), false),
       pg_catalog.has_column_privilege(%(role)s, c.oid, a.attname, 'SELECT')
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_index i on i.indrelid = c.oid and i.indisprimary
where n.nspname = %(schema)s and c.relname = %(table)s
order by a.attnum
"""


async def load_table_view(
    conn: AsyncConnection[Any], schema: str, table: str, role: str
) -> TableView | None:
    """The table's columns with the role's SELECT privilege; None if the table is gone."""
    cursor = await conn.execute(TABLE_VIEW_SQL, {"role": role, "schema": schema, "table": table})
    rows = await cursor.fetchall()
    if not rows:
        return None
    return TableView(
        rls_enabled=bool(rows[0][0]),
        columns=tuple(TableColumn(name, typ, pk, sel) for _, name, typ, pk, sel in rows),
    )


def filter_columns(change: Change, view: TableView) -> tuple[dict[str, ColumnValue], ...]:
    """The column sets filters are checked against: new values, and old ones for DELETE."""
    sets = [_typed_columns(change.columns, view)]
    if change.type == "DELETE":
        sets.append(_typed_columns(change.identity, view))
    return tuple(sets)


def _typed_columns(columns: tuple[WalColumn, ...], view: TableView) -> dict[str, ColumnValue]:
    return {c.name: ColumnValue(view.type_of(c.name), c.text) for c in columns}


def change_data(
    change: Change, view: TableView, select: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The payload's `data`; `select` narrows it to a binding's chosen columns."""
    selectable = {
        c.name: c for c in view.columns if c.selectable and (select is None or c.name in select)
    }
    data: dict[str, Any] = {
        "schema": change.schema,
        "table": change.table,
        "commit_timestamp": change.commit_timestamp,
        "type": change.type,
        "errors": None,
        "columns": [{"name": c.name, "type": c.type_name} for c in selectable.values()],
    }
    if change.type in ("INSERT", "UPDATE"):
        record = _record(change.columns, selectable)
        # An unchanged TOASTed value is absent from the new row: take it from the old one.
        for name, value in _record(change.identity, selectable).items():
            record.setdefault(name, value)
        data["record"] = record
    if change.type == "UPDATE":
        data["old_record"] = _record(change.identity, selectable)
    if change.type == "DELETE":
        old = _record(change.identity, selectable)
        if view.rls_enabled:
            old = {name: value for name, value in old.items() if selectable[name].is_pkey}
        data["old_record"] = old
    return data


def _record(columns: tuple[WalColumn, ...], selectable: dict[str, TableColumn]) -> dict[str, Any]:
    return {
        c.name: render_value(selectable[c.name].type_name, c.value)
        for c in columns
        if c.name in selectable
    }


def render_value(type_name: str, value: Any) -> Any:
    """A wal2json value rendered as `to_jsonb(value::type_name)`."""
    if value is None or not isinstance(value, str):
        return value
    if type_name in ("json", "jsonb"):
        return json.loads(value)
    if type_name == "timestamptz":
        return _iso_timestamp(value, with_zone=True)
    if type_name == "timestamp":
        return _iso_timestamp(value, with_zone=False)
    if type_name.startswith("_"):
        elements = parse_array(value)
        if elements is not None:
            return [None if e is None else _render_element(type_name[1:], e) for e in elements]
    return value


_ZONE = re.compile(r"([+-]\d{2})$")


def _iso_timestamp(text: str, *, with_zone: bool) -> str:
    iso = text.replace(" ", "T", 1)
    return _ZONE.sub(r"\1:00", iso) if with_zone else iso


_NUMBER_TYPES = {"int2", "int4", "int8", "oid", "numeric", "float4", "float8"}


def _render_element(type_name: str, text: str) -> Any:
    if type_name in _NUMBER_TYPES:
        return json.loads(text)
    if type_name == "bool":
        return text == "t"
    return render_value(type_name, text)


def parse_array(text: str) -> list[str | None] | None:
    """Elements of a one-dimensional Postgres array literal; None for anything else."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith("{{"):
        return None
    body = text[1:-1]
    if not body:
        return []
    elements: list[str | None] = []
    current: list[str] = []
    quoted = was_quoted = escaped = False
    for char in body:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            was_quoted = True
        elif char == "," and not quoted:
            elements.append(_element(current, was_quoted))
            current, was_quoted = [], False
        else:
            current.append(char)
    elements.append(_element(current, was_quoted))
    return elements


def _element(chars: list[str], was_quoted: bool) -> str | None:
    text = "".join(chars)
    return None if text == "NULL" and not was_quoted else text
