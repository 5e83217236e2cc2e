"""Each SQL function is defined once across the migrations (issue 12): to know what a function
does, one reads its one definition, never the last of several. A function that moves to a later
file leaves only a comment behind (supabase/migrations/README.md lists the moves), so no
migration replaces or drops one."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[1] / "supabase" / "migrations"

# `create [or replace] function schema.name(`; its arguments run to the matching parenthesis.
FUNCTION = re.compile(
    r"\bcreate\s+(or\s+replace\s+)?function\s+([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\s*\(",
    re.IGNORECASE,
)
DROP_FUNCTION = re.compile(r"\bdrop\s+function\b", re.IGNORECASE)
LINE_COMMENT = re.compile(r"--[^\n]*")
DOLLAR_BODY = re.compile(r"\bas\s+\$(\w*)\$.*?\$\1\$", re.IGNORECASE | re.DOTALL)


def arguments_at(text: str, start: int) -> list[str]:
    """The comma-separated arguments from just after an opening parenthesis to its match."""
    arguments, depth, current = [], 0, ""
    for character in text[start:]:
        if character == "(":
            depth += 1
        elif character == ")":
            if depth == 0:
                break
            depth -= 1
        elif character == "," and depth == 0:
            arguments.append(current)
            current = ""
            continue
        current += character
    return [a.strip() for a in [*arguments, current] if a.strip()]


def argument_types(arguments: list[str]) -> str:
    """The signature as Postgres identifies a function: its input arguments' types, without
    names, defaults or output arguments."""
    types: list[str] = []
    for argument in arguments:
        declared = re.split(r"\s+default\s+|\s*=\s*", argument, flags=re.IGNORECASE)[0].split()
        mode = declared[0].lower()
        if mode == "out":
            continue
        if mode in ("in", "inout", "variadic"):
            declared = declared[1:]
        types.append(" ".join(declared[1:] if len(declared) > 1 else declared).lower())
    return ", ".join(types)


def definitions() -> tuple[dict[str, list[str]], list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    replaced_or_dropped: list[str] = []
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        # Bodies may mention other functions (dynamic SQL); only top-level statements count.
        text = DOLLAR_BODY.sub("as $$", LINE_COMMENT.sub("", migration.read_text()))
        for match in FUNCTION.finditer(text):
            arguments = argument_types(arguments_at(text, match.end()))
            signature = f"{match.group(2).lower()}({arguments})"
            found[signature].append(migration.name)
            if match.group(1):
                replaced_or_dropped.append(f"{migration.name}: create or replace {signature}")
        replaced_or_dropped.extend(
            f"{migration.name}: drop function" for _ in DROP_FUNCTION.finditer(text)
        )
    return found, replaced_or_dropped


def test_the_migrations_define_functions() -> None:
    found, _ = definitions()
    assert len(found) > 300, "the pattern no longer finds the migrations' functions"


def test_every_function_is_defined_once() -> None:
    found, _ = definitions()
    twice = {signature: files for signature, files in found.items() if len(files) > 1}
    assert twice == {}


def test_no_migration_replaces_or_drops_a_function() -> None:
    _, replaced_or_dropped = definitions()
    assert replaced_or_dropped == []
