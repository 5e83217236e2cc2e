"""sql/studio/: each named query, run exactly as the file reads (as Studio's SQL editor would),
answers correctly over rows seeded in a transaction that is rolled back afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from devstack.stack.manager import LocalStack

STUDIO = Path(__file__).resolve().parents[2] / "sql" / "studio"
Connection = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture
def tx(stack: LocalStack) -> Iterator[Connection]:
    """A connection whose seeded rows vanish at the end (nothing is committed)."""
    with psycopg.connect(stack.config.db_url()) as conn:
        yield conn
        conn.rollback()


def run(conn: Connection, name: str) -> list[tuple[Any, ...]]:
    return conn.execute((STUDIO / name).read_text()).fetchall()  # type: ignore[arg-type]


def contact(conn: Connection, first_name: str, **columns: Any) -> str:
    phone = f"+1305{uuid.uuid4().int % 10**7:07d}"
    names = ["first_name", "phone", *columns]
    values = [first_name, phone, *columns.values()]
    placeholders = ", ".join(["%s"] * len(values))
    row = conn.execute(
        f"insert into public.contacts ({', '.join(names)}) values ({placeholders}) returning id",  # type: ignore[arg-type]
        values,
    ).fetchone()
    assert row is not None
    return str(row[0])


def test_every_query_is_documented() -> None:
    readme = (STUDIO / "README.md").read_text()
    for path in STUDIO.glob("*.sql"):
        assert f"`{path.name}`" in readme
        assert path.read_text().startswith("-- "), f"{path.name} starts with what it answers"


def test_tonights_check_ins_counts_first_timers(tx: Connection) -> None:
    name = f"Studio night {uuid.uuid4().hex[:6]}"
    event = tx.execute(
        "insert into public.events (slug, name, starts_at, ends_at, time_zone)"
        " values (%s, %s, now() - interval '1 hour', now() + interval '2 hours',"
        " 'America/New_York') returning id",
        (name.lower().replace(" ", "-"), name),
    ).fetchone()
    earlier = tx.execute(
        "insert into public.events (slug, name, starts_at, ends_at)"
        " values (%s, 'Earlier', now() - interval '30 days', now() - interval '29 days')"
        " returning id",
        (f"earlier-{uuid.uuid4().hex[:6]}",),
    ).fetchone()
    assert event is not None
    assert earlier is not None
    regular, newcomer = contact(tx, "Regular"), contact(tx, "Newcomer")
    tx.execute(
        "insert into public.check_ins (event_id, contact_id, method, checked_in_at) values"
        " (%s, %s, 'qr', now() - interval '30 days'),"
        " (%s, %s, 'qr', now() - interval '2 minutes'),"
        " (%s, %s, 'self', now() - interval '1 minute')",
        (earlier[0], regular, event[0], regular, event[0], newcomer),
    )
    rows = {row[0]: row[1:3] for row in run(tx, "tonights_check_ins.sql")}
    assert rows[name] == (2, 1)


def test_new_contacts_this_month_by_source(tx: Connection) -> None:
    source = f"studio-{uuid.uuid4().hex[:6]}"
    for first_name in ("A", "B"):
        contact(tx, first_name, source=source)
    contact(tx, "Old", source=source, created_at="2020-01-15T12:00:00Z")
    rows = dict(run(tx, "new_contacts_this_month.sql"))
    assert rows[source] == 2


def test_opt_outs_this_week(tx: Connection) -> None:
    quitter = f"Quitter{uuid.uuid4().hex[:6]}"
    stays = f"Stays{uuid.uuid4().hex[:6]}"
    quitter_id, stays_id = contact(tx, quitter), contact(tx, stays)
    tx.execute(
        "insert into public.consent_events (contact_id, channel, status, source) values"
        " (%s, 'sms', 'opted_out', 'keyword'), (%s, 'sms', 'opted_in', 'form')",
        (quitter_id, stays_id),
    )
    rows = [row[1:] for row in run(tx, "opt_outs_this_week.sql") if row[1] in (quitter, stays)]
    assert rows == [(quitter, "sms", "keyword")]


def test_latest_blast_failures_by_error_code(tx: Connection) -> None:
    blast = tx.execute(
        "insert into public.blasts (name, channel) values ('Studio blast', 'sms') returning id"
    ).fetchone()
    assert blast is not None
    tx.execute(
        "insert into public.messages"
        " (blast_id, to_address, body, status, error_code, error_message) values"
        " (%(b)s, '+13055550001', 'hi', 'failed', '21610', 'Sent to unsubscribed'),"
        " (%(b)s, '+13055550002', 'hi', 'undelivered', '30007', 'Carrier filtered'),"
        " (%(b)s, '+13055550003', 'hi', 'undelivered', '30007', 'Carrier filtered'),"
        " (%(b)s, '+13055550004', 'hi', 'delivered', null, null)",
        {"b": blast[0]},
    )
    rows = [(r[0], r[1], str(r[2]), r[3]) for r in run(tx, "blast_failures_by_error_code.sql")]
    assert rows == [
        ("Studio blast", "30007", "undelivered", 2),
        ("Studio blast", "21610", "failed", 1),
    ]
