"""The migration runner applies in order, records like the Supabase CLI, and is all-or-nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from devstack.db import migrations
from devstack.stack.config import SUPABASE_DIR
from devstack.stack.manager import LocalStack


@pytest.fixture
def empty_database(stack: LocalStack) -> Iterator[str]:
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(f"create database {name}".encode())
    yield stack.config.db_url().rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(f"drop database {name} with (force)".encode())


def write(folder: Path, name: str, sql: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(sql)
    return path


def rows(db_url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query.encode()).fetchall()


FUNCTION_WITH_SEMICOLONS = """
-- a comment; with a semicolon
create function public.twice(n integer) returns integer
language plpgsql as $$
begin
  return n * 2; -- semicolons inside dollar quotes do not end the statement
end
$$;
"""


def test_applies_in_order_and_records_versions(empty_database: str, tmp_path: Path) -> None:
    write(tmp_path, "20260102000000_second.sql", "insert into public.things values (2);")
    write(
        tmp_path,
        "20260101000000_first.sql",
        "create table public.things (n int);\ninsert into public.things values (1);",
    )
    write(tmp_path, "20260103000000_function.sql", FUNCTION_WITH_SEMICOLONS)

    applied = migrations.migrate(empty_database, tmp_path)

    assert [m.version for m in applied] == ["20260101000000", "20260102000000", "20260103000000"]
    assert rows(empty_database, "select n from public.things order by n") == [(1,), (2,)]
    assert rows(empty_database, "select public.twice(21)") == [(42,)]
    history = rows(
        empty_database,
        "select version, name, array_length(statements, 1)"
        " from supabase_migrations.schema_migrations order by version",
    )
    assert history == [
        ("20260101000000", "first", 2),
        ("20260102000000", "second", 1),
        ("20260103000000", "function", 1),
    ]


def test_second_run_applies_nothing(empty_database: str, tmp_path: Path) -> None:
    write(tmp_path, "20260101000000_first.sql", "create table public.things (n int);")
    migrations.migrate(empty_database, tmp_path)
    assert migrations.migrate(empty_database, tmp_path) == []


def test_failing_migration_changes_nothing_and_names_file_and_line(
    empty_database: str, tmp_path: Path
) -> None:
    write(tmp_path, "20260101000000_first.sql", "create table public.things (n int);")
    write(
        tmp_path,
        "20260102000000_broken.sql",
        "create table public.half_done (n int);\n"
        "\n"
        "insert into public.things\n"
        "  values ('not a number');\n",
    )

    with pytest.raises(migrations.MigrationError) as failure:
        migrations.migrate(empty_database, tmp_path)

    assert str(failure.value).startswith("20260102000000_broken.sql:4: ")
    assert "invalid input syntax for type integer" in str(failure.value)
    assert rows(empty_database, "select to_regclass('public.half_done')") == [(None,)]
    assert rows(empty_database, "select version from supabase_migrations.schema_migrations") == [
        ("20260101000000",)
    ]


def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "first.sql", "select 1;")
    with pytest.raises(migrations.HmError, match=r"named <timestamp>_<name>\.sql"):
        migrations.discover(tmp_path)


def test_project_seed_applies_on_the_migrated_schema(stack: LocalStack) -> None:
    """The demo data loads on top of every migration (rolled back, so tests keep a clean DB)."""
    with psycopg.connect(stack.config.db_url()) as conn:
        for seed_file in migrations.seed_files(SUPABASE_DIR):
            migrations.run_file(conn, seed_file)
        conn.rollback()
