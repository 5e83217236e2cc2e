"""postgres_changes filters: `column=op.value`, parsed and compared as Supabase Realtime does.

Supabase stores each filter as (column, op, value) and evaluates it in SQL as
`value_from_wal::coltype <op> filter_value::coltype` (`= any(filter_value::coltype[])` for `in`),
so comparisons are typed: `id=gt.9` is numeric, `at=lt.2026-01-01` is a timestamp comparison.
A filter whose column is absent from the change does not take part; a change none of whose
columns a filter could check, or whose value is NULL, does not match.
Several filters separated by top-level commas must all match.
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "neq": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}
IN = "in"


class FilterError(ValueError):
    """A filter string Supabase Realtime would refuse; the message is Supabase's."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    # For `in`, the list's elements; otherwise a one-element tuple.
    values: tuple[str, ...]


@dataclass(frozen=True)
class ColumnValue:
    """A column of a change: its Postgres type name (pg_type.typname) and its value as text."""

    type_name: str
    text: str | None


def parse_filter(text: str) -> tuple[Filter, ...]:
    """Parse a binding's `filter`; raises FilterError with Supabase's wording."""
    if not text.strip():
        return ()
    return tuple(_parse_segment(segment) for segment in _split_top_level(text.strip()))


def _split_top_level(text: str) -> list[str]:
    segments: list[str] = []
    current: list[str] = []
    depth = 0
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth = max(0, depth - 1)
        elif not quoted and depth == 0 and char == ",":
            segments.append("".join(current))
            current = []
            continue
        current.append(char)
    segments.append("".join(current))
    return segments


def _parse_segment(segment: str) -> Filter:
    trimmed = segment.strip()
    if not trimmed:
        raise FilterError("Error parsing `filter` params: filter must not contain empty segments")
    column, equals, rest = trimmed.partition("=")
    op, dot, value = rest.partition(".")
    if not equals or not dot:
        parts = [rest if equals else trimmed]
        raise FilterError(f"Error parsing `filter` params: {_inspect(parts)}")
    if op == IN:
        if len(value) < 2 or not (value.startswith("(") and value.endswith(")")):
            raise FilterError(
                "Error parsing `filter` params: `in` filter value must be wrapped by parentheses"
            )
        return Filter(column, op, tuple(_split_list(value[1:-1])))
    if op not in OPERATORS:
        raise FilterError(f"Error parsing `filter` params: {_inspect([op, value])}")
    return Filter(column, op, (_unquote(value),))


def _inspect(parts: Sequence[str]) -> str:
    """Render a list as Elixir's `inspect` does, which Supabase's error messages use."""
    return "[" + ", ".join('"' + part.replace('"', '\\"') + '"' for part in parts) + "]"


def _split_list(inner: str) -> list[str]:
    """Elements of a Postgres array literal body: `a,"b,c",d`."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in inner:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return items


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def matches(filters: Sequence[Filter], columns: Mapping[str, ColumnValue]) -> bool:
    """Whether a change's columns pass every filter (Supabase's is_visible_through_filters)."""
    if not filters:
        return True
    checked = [f for f in filters if f.column in columns]
    if not checked:
        return False
    return all(_check(f, columns[f.column]) for f in checked)


def _check(filter_: Filter, column: ColumnValue) -> bool:
    if column.text is None:
        return False
    try:
        left = typed(column.type_name, column.text)
        rights = [typed(column.type_name, value) for value in filter_.values]
        if filter_.op == IN:
            return any(left == right for right in rights)
        return OPERATORS[filter_.op](left, rights[0])
    except (ValueError, TypeError, InvalidOperation):
        # Postgres would fail the cast; Supabase then does not deliver the change.
        return False


_INTEGER_TYPES = {"int2", "int4", "int8", "oid"}
_DECIMAL_TYPES = {"numeric", "float4", "float8", "money"}
_TRUE = {"t", "true", "yes", "on", "1", "y"}
_FALSE = {"f", "false", "no", "off", "0", "n"}


def typed(type_name: str, text: str) -> Any:
    """`text` converted as a `::type_name` cast would, for the types filters compare."""
    if type_name in _INTEGER_TYPES:
        return int(text.strip())
    if type_name in _DECIMAL_TYPES:
        return Decimal(text.strip())
    if type_name == "bool":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"invalid input syntax for type boolean: {text!r}")
    if type_name == "uuid":
        return uuid.UUID(text.strip())
    if type_name in {"timestamptz", "timestamp"}:
        moment = dt.datetime.fromisoformat(text.strip())
        if type_name == "timestamptz" and moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        if type_name == "timestamp":
            moment = moment.replace(tzinfo=None)
        return moment
    if type_name == "date":
        return dt.date.fromisoformat(text.strip())
    return text
