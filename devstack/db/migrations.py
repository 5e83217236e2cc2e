"""Apply `supabase/migrations/*.sql` in order, each in one transaction, recording versions in
`supabase_migrations.schema_migrations` exactly as the Supabase CLI does."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlparse

from hm.errors import HmError

MIGRATION_NAME = re.compile(r"^(?P<version>\d+)_(?P<name>.+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @classmethod
    def from_path(cls, path: Path) -> Migration:
        match = MIGRATION_NAME.match(path.name)
        if not match:
            raise HmError(f"{path.name}: migration files are named <timestamp>_<name>.sql")
        return cls(match["version"], match["name"], path)


class MigrationError(HmError):
    """A migration failed; the message names the file and line."""


def discover(migrations_dir: Path) -> list[Migration]:
    return sorted(
        (Migration.from_path(path) for path in migrations_dir.glob("*.sql")),
        key=lambda migration: migration.version,
    )


HISTORY_TABLE = """
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
"""


def applied_versions(conn: psycopg.Connection[tuple[object, ...]]) -> set[str]:
    """Versions already applied; creates the history table on first use, as the CLI does."""
    conn.execute(HISTORY_TABLE.encode())
    rows = conn.execute("select version from supabase_migrations.schema_migrations").fetchall()
    return {str(row[0]) for row in rows}


def split_statements(sql: str) -> list[tuple[int, str]]:
    """Statements with the 1-based line each starts on (dollar quotes and comments respected)."""
    statements: list[tuple[int, str]] = []
    offset = 0
    for statement in sqlparse.split(sql, strip_semicolon=False):
        start = sql.find(statement, offset)
        offset = start + len(statement)
        if sqlparse.format(statement, strip_comments=True).strip(" \n\t;"):
            statements.append((sql.count("\n", 0, start) + 1, statement))
    return statements


def _error_line(error: psycopg.Error, statement_line: int, statement: str) -> int:
    position = error.diag.statement_position
    if position is None:
        return statement_line
    return statement_line + statement.count("\n", 0, int(position) - 1)


def run_file(conn: psycopg.Connection[tuple[object, ...]], path: Path) -> list[str]:
    """Execute every statement of `path` on `conn` (inside the caller's transaction)."""
    statements = split_statements(path.read_text())
    for line, statement in statements:
        try:
            conn.execute(statement.encode())
        except psycopg.Error as error:
            where = f"{path.name}:{_error_line(error, line, statement)}"
            detail = error.diag.message_primary or str(error)
            raise MigrationError(f"{where}: {detail}") from error
    return [statement for _, statement in statements]


def migrate(
    db_url: str,
    migrations_dir: Path,
    on_applied: Callable[[Migration], None] = lambda migration: None,
) -> list[Migration]:
    """Apply pending migrations in version order; each is all-or-nothing."""
    applied: list[Migration] = []
    with psycopg.connect(db_url) as conn:
        done = applied_versions(conn)
        conn.commit()
        for migration in discover(migrations_dir):
            if migration.version in done:
                continue
            with conn.transaction():
                statements = run_file(conn, migration.path)
                conn.execute(
                    "insert into supabase_migrations.schema_migrations (version, name, statements)"
                    " values (%s, %s, %s)",
                    (migration.version, migration.name, statements),
                )
            applied.append(migration)
            on_applied(migration)
        if applied:
            reload_schema_cache(conn)
    return applied


def seed_files(supabase_dir: Path) -> list[Path]:
    """The files `[db.seed] sql_paths` in config.toml names (globs, relative to supabase/)."""
    with (supabase_dir / "config.toml").open("rb") as handle:
        patterns = tomllib.load(handle).get("db", {}).get("seed", {}).get("sql_paths", [])
    files: list[Path] = []
    for pattern in patterns:
        files.extend(sorted(supabase_dir.glob(pattern.removeprefix("./"))))
    return files


def seed(db_url: str, supabase_dir: Path) -> list[Path]:
    """Load demo data in one transaction, as `supabase db reset` does after migrating."""
    files = seed_files(supabase_dir)
    with psycopg.connect(db_url) as conn:
        with conn.transaction():
            for seed_file in files:
                run_file(conn, seed_file)
        reload_schema_cache(conn)
    return files


def reload_schema_cache(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Tell PostgREST to re-read the schema after DDL."""
    conn.execute("notify pgrst, 'reload schema'")
    conn.commit()
