"""postgres_changes filters: `column=op.value`, parsed and evaluated as Supabase Realtime does.

Supabase stores each filter as (column, op, value, negate) and evaluates it in SQL
(`realtime.check_equality_op`) as `wal_value::coltype <op> filter_value::coltype`, so comparisons
are typed: `n=gt.9` is numeric, `at=lt.2026-01-01` compares timestamps. Operators: eq, neq, lt,
lte, gt, gte, in (`= any(value::coltype[])`), like, ilike, match (`~`), imatch (`~*`), is
(null/true/false/unknown) and isdistinct; a `not.` prefix negates any of them. Several filters
separated by top-level commas must all hold (`is_visible_through_filters`): a filter on a column
the change does not carry, or a comparison with NULL, fails.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "neq": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}
PATTERNS = ("like", "ilike", "match", "imatch")
IN, IS, IS_DISTINCT = "in", "is", "isdistinct"
OPERATORS = (*COMPARISONS, IN, *PATTERNS, IS, IS_DISTINCT)
IS_VALUES = ("null", "true", "false", "unknown")


class FilterError(ValueError):
    """A filter string Supabase Realtime would refuse; the message is Supabase's."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    # For `in`, the list's elements; otherwise a one-element tuple.
    values: tuple[str, ...]
    negate: bool = False


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
        raise FilterError(
            "Error parsing `filter` params: filter must not contain empty segments"
            " (check for extra commas)"
        )
    column, equals, rest = trimmed.partition("=")
    negate = rest.startswith("not.")
    op, dot, value = rest.removeprefix("not.").partition(".")
    if not equals or not dot:
        parts = [rest if equals else trimmed]
        raise FilterError(f"Error parsing `filter` params: {_inspect(parts)}")
    if op not in OPERATORS:
        raise FilterError(f"Error parsing `filter` params: {_inspect([op, value])}")
    if op == IN:
        if len(value) < 2 or not (value.startswith("(") and value.endswith(")")):
            raise FilterError(
                "Error parsing `filter` params: `in` filter value must be wrapped by parentheses"
            )
        return Filter(column, op, tuple(_split_list(value[1:-1])), negate)
    value = _unquote(value)
    if op == IS and value not in IS_VALUES:
        raise FilterError("invalid value for is filter: must be null, true, false, or unknown")
    return Filter(column, op, (value,), negate)


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
    return all(f.column in columns and check(f, columns[f.column]) is True for f in filters)


def check(filter_: Filter, column: ColumnValue) -> bool | None:
    """The SQL truth value of one filter on one column: True, False or None (NULL)."""
    try:
        if filter_.op == IS:
            return _is(filter_, column)
        if filter_.op == IS_DISTINCT:
            same = _null_safe_equal(column, filter_.values[0])
            return same if filter_.negate else not same
        if column.text is None:
            return None
        result = _compare(filter_, column.type_name, column.text)
    except (ValueError, TypeError, InvalidOperation, re.error):
        # Postgres would fail the cast or the pattern; Supabase then delivers nothing.
        return None
    return not result if filter_.negate else result


def _compare(filter_: Filter, type_name: str, text: str) -> bool:
    if filter_.op in PATTERNS:
        pattern = filter_.values[0]
        flags = re.IGNORECASE if filter_.op in ("ilike", "imatch") else 0
        if filter_.op in ("like", "ilike"):
            return re.fullmatch(_like_to_regex(pattern), text, flags | re.DOTALL) is not None
        return re.search(pattern, text, flags) is not None
    left = typed(type_name, text)
    if filter_.op == IN:
        return any(left == typed(type_name, value) for value in filter_.values)
    return COMPARISONS[filter_.op](left, typed(type_name, filter_.values[0]))


def _is(filter_: Filter, column: ColumnValue) -> bool:
    keyword = filter_.values[0]
    if keyword in ("null", "unknown"):
        result = column.text is None
    else:
        result = column.text is not None and typed("bool", column.text) is (keyword == "true")
    return not result if filter_.negate else result


def _null_safe_equal(column: ColumnValue, value: str) -> bool:
    if column.text is None:
        return False
    return bool(typed(column.type_name, column.text) == typed(column.type_name, value))


def _like_to_regex(pattern: str) -> str:
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


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
