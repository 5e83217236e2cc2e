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
from devstack.stack.postgres import SUPERUSER
from hm.errors import HmError


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


# ------------------------------------------------------------------ as strict as hosted Supabase


def test_migrations_run_as_a_role_shaped_like_hosted_postgres(stack: LocalStack) -> None:
    [(user, superuser, auth_admin, storage_admin, bypassrls)] = rows(
        stack.config.db_url(),
        "select current_user, r.rolsuper,"
        " pg_has_role(current_user, 'supabase_auth_admin', 'member'),"
        " pg_has_role(current_user, 'supabase_storage_admin', 'member'), r.rolbypassrls"
        " from pg_roles r where r.rolname = current_user",
    )
    assert (user, superuser, auth_admin, storage_admin, bypassrls) == (
        "postgres",
        False,
        False,
        False,
        True,
    )


def test_postgres_may_set_session_replication_role_as_on_hosted(stack: LocalStack) -> None:
    """Bulk loads (seeds, benchmarks) skip triggers this way; hosted allows it through supautils."""
    [(allowed,)] = rows(
        stack.config.db_url(),
        "select has_parameter_privilege('session_replication_role', 'set')",
    )
    assert allowed is True


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        pytest.param(
            "create function public.f() returns event_trigger language plpgsql"
            " as $$ begin end $$;\n"
            "create event trigger t on ddl_command_end execute function public.f();",
            "permission denied to create event trigger",
            id="needs superuser",
        ),
        pytest.param(
            "alter table auth.users add column nickname text;",
            "must be owner of table users",
            id="alters Auth's table",
        ),
        pytest.param(
            "alter table storage.objects add column nickname text;",
            "must be owner of table objects",
            id="alters Storage's table",
        ),
        pytest.param(
            "delete from storage.objects where bucket_id = 'avatars';",
            "Direct deletion from storage tables is not allowed",
            id="deletes Storage rows in SQL",
        ),
        pytest.param(
            "set local role supabase_auth_admin;",
            'permission denied to set role "supabase_auth_admin"',
            id="acts as Auth's role",
        ),
    ],
)
def test_a_migration_hosted_would_refuse_fails_locally(
    stack: LocalStack, tmp_path: Path, sql: str, refusal: str
) -> None:
    path = write(tmp_path, "20260101000000_too_much.sql", sql)
    with psycopg.connect(stack.config.db_url()) as conn:
        with pytest.raises(migrations.MigrationError) as refused:
            migrations.run_file(conn, path)
        conn.rollback()
    assert refusal in str(refused.value)


def test_new_tables_in_public_get_no_default_grants(stack: LocalStack, tmp_path: Path) -> None:
    """Hosted since 2026-10-30: a table is reachable through the API only if a migration grants
    it, so one that forgets the grant fails its tests locally too."""
    path = write(
        tmp_path,
        "20260101000000_forgotten_grant.sql",
        "create table public.forgotten (id bigint generated always as identity primary key);",
    )
    with psycopg.connect(stack.config.db_url()) as conn:
        migrations.run_file(conn, path)
        privileges = conn.execute(
            "select r.rolname, has_table_privilege(r.rolname, 'public.forgotten', 'select'),"
            " has_sequence_privilege(r.rolname, 'public.forgotten_id_seq', 'usage')"
            " from unnest(array['anon', 'authenticated', 'service_role']) r(rolname)"
        ).fetchall()
        conn.rollback()
    assert privileges == [
        ("anon", False, False),
        ("authenticated", False, False),
        ("service_role", False, False),
    ]


def test_text_sorts_as_on_hosted(stack: LocalStack) -> None:
    """Hosted databases use en_US.UTF-8: 'a' < 'B' (in C.UTF-8 every capital comes first)."""
    assert rows(
        stack.config.db_url(),
        "select datcollate, 'a' < 'B', array_agg(w order by w)"
        " from pg_database, (values ('b'), ('B'), ('a')) words(w)"
        " where datname = current_database() group by datcollate",
    ) == [("en_US.UTF-8", True, ["a", "b", "B"])]


def test_realtime_publication_lines_tolerate_tables_already_in_it(stack: LocalStack) -> None:
    """A project whose tables Realtime already streams (switched on in the dashboard) must not
    fail its push: every statement adding to supabase_realtime runs again, on members, cleanly."""
    publishing = [
        statement
        for migration in migrations.discover(SUPABASE_DIR / "migrations")
        for _, statement in migrations.split_statements(migration.path.read_text())
        if "select private.add_to_realtime_publication(" in statement
    ]
    assert publishing, "no migration adds a table to supabase_realtime"
    with psycopg.connect(stack.config.db_url()) as conn:
        before = conn.execute("select count(*) from pg_publication_tables").fetchone()
        for statement in publishing:
            conn.execute(statement.encode())
        after = conn.execute("select count(*) from pg_publication_tables").fetchone()
        conn.rollback()
    assert before == after


def test_a_database_with_a_superuser_postgres_is_refused(stack: LocalStack) -> None:
    """A cluster made before the platform matched hosted would let superuser-only migrations
    pass; `hm stack up` refuses it and names the fix."""
    admin = stack.config.db_url(SUPERUSER)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("alter role postgres superuser")
    try:
        with pytest.raises(HmError) as refused:
            stack.postgres.apply_platform()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("alter role postgres nosuperuser")
    assert "hm stack reset" in str(refused.value)
