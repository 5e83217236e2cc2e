"""Event counter slots (20261129050000_event_counter_slots), step by step with two backends.

The check-in and RSVP counters were kept in rows keyed by (event, pg_backend_pid() % 16), so two
backends whose pids share a remainder wrote to the same rows. Deleting contacts deletes their
check-ins one contact at a time (the foreign key's cascade runs once per contact), so a delete of
several contacts takes its counter rows in contact order, not event order. Two admins deleting
people who came to the same two events, in opposite orders, each held the row the other wanted
next: PostgreSQL's deadlock detector aborted one of them. With the slot the backend's own pid no
two live backends share a counter row, so neither waits."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg

from devstack.stack.manager import LocalStack
from tests.polling import eventually

Connection = psycopg.Connection[tuple[Any, ...]]


@contextmanager
def two_backends_sharing_a_remainder(stack: LocalStack) -> Iterator[tuple[Connection, Connection]]:
    """Two connections whose pids have the same remainder mod 16 (the old slot); among 17
    connections two always do."""
    with ExitStack() as opened:
        seen: dict[int, Connection] = {}
        for _ in range(17):
            conn = opened.enter_context(psycopg.connect(stack.config.db_url()))
            remainder = conn.info.backend_pid % 16
            if remainder in seen:
                yield seen[remainder], conn
                return
            seen[remainder] = conn
    raise AssertionError("17 connections without two sharing a remainder mod 16")


def event(db: Connection, name: str) -> str:
    row = db.execute(
        "insert into public.events (slug, name, starts_at, ends_at, published)"
        " values (%s, %s, now(), now() + interval '2 hours', true) returning id",
        (f"{name.lower()}-{uuid.uuid4().hex[:8]}", name),
    ).fetchone()
    assert row is not None
    return str(row[0])


def attendee(db: Connection, name: str, *event_ids: str) -> str:
    """A contact checked in at each event."""
    row = db.execute(
        "insert into public.contacts (first_name) values (%s) returning id", (name,)
    ).fetchone()
    assert row is not None
    for event_id in event_ids:
        check_in(db, str(row[0]), event_id)
    return str(row[0])


def check_in(db: Connection, contact_id: str, event_id: str) -> None:
    """The row public.check_in writes (its counter trigger is what is under test)."""
    db.execute(
        "insert into public.check_ins (event_id, contact_id, method) values (%s, %s, 'staff')",
        (event_id, contact_id),
    )


def check_ins_counted(db: Connection, event_id: str) -> int:
    row = db.execute(
        "select coalesce(sum(check_ins), 0)::int from private.event_check_in_counts"
        " where event_id = %s",
        (event_id,),
    ).fetchone()
    assert row is not None
    return int(row[0])


def waiting_for_a_lock(db: Connection, pid: int) -> bool:
    row = db.execute(
        "select wait_event_type = 'Lock' from pg_stat_activity where pid = %s", (pid,)
    ).fetchone()
    return row == (True,)


def test_two_contact_deletes_sharing_a_remainder_never_deadlock_on_check_in_counts(
    db: Connection, stack: LocalStack
) -> None:
    """Admin A deletes Ana (came to Monday) and later Bo (came to Tuesday); admin B deletes Cy
    (Tuesday) and Di (Monday) in one statement. With shared slots: A holds Monday's row, B takes
    Tuesday's and waits for Monday's, A's delete of Bo waits for Tuesday's — a cycle."""
    monday, tuesday = event(db, "Monday"), event(db, "Tuesday")
    ana = attendee(db, "Ana", monday)
    bo = attendee(db, "Bo", tuesday)
    # B's one statement deletes its contacts in id order: the first came on Tuesday, the
    # second on Monday.
    first, second = sorted([attendee(db, "Cy"), attendee(db, "Di")])
    check_in(db, first, tuesday)
    check_in(db, second, monday)
    assert (check_ins_counted(db, monday), check_ins_counted(db, tuesday)) == (2, 2)

    outcomes: dict[str, str] = {}
    with two_backends_sharing_a_remainder(stack) as (admin_a, admin_b):
        admin_a.execute("delete from public.contacts where id = %s", (ana,))
        cursor_b = admin_b.cursor()

        def delete_both() -> None:
            try:
                cursor_b.execute(
                    "delete from public.contacts where id = any(%s::uuid[])", ([first, second],)
                )
                admin_b.commit()
                outcomes["b"] = "deleted"
            except psycopg.Error as error:
                admin_b.rollback()
                outcomes["b"] = f"{error.sqlstate}"

        thread = threading.Thread(target=delete_both)
        thread.start()
        eventually(
            lambda: not thread.is_alive() or waiting_for_a_lock(db, admin_b.info.backend_pid),
            10,
            "B finished or waiting",
        )
        try:
            admin_a.execute("delete from public.contacts where id = %s", (bo,))
            admin_a.commit()
            outcomes["a"] = "deleted"
        except psycopg.Error as error:
            admin_a.rollback()
            outcomes["a"] = f"{error.sqlstate}"
        thread.join(10)

    assert outcomes == {"a": "deleted", "b": "deleted"}
    assert (check_ins_counted(db, monday), check_ins_counted(db, tuesday)) == (0, 0)


def test_a_fold_never_waits_for_a_check_in_and_the_count_stays_right(
    db: Connection, stack: LocalStack
) -> None:
    """20261129080000_event_counter_fold: a fold while a check-in's transaction holds its
    counter row folds the other rows and returns at once (it skips the held one); the check-in
    commits after it, and the count is every check-in, once."""
    tonight = event(db, "Tonight")
    for name in ("Ana", "Bo", "Cy"):
        attendee(db, name, tonight)
    late = attendee(db, "Di")
    with (
        psycopg.connect(stack.config.db_url()) as door,
        psycopg.connect(stack.config.db_url()) as worker,
    ):
        check_in(door, late, tonight)  # open: the door's transaction holds its counter row
        worker.execute("set lock_timeout = '2s'")  # a fold that waited would fail here
        worker.commit()
        folded = None
        for _ in range(20):  # None while a worker of the session's stack folds at that moment
            row = worker.execute("select public.fold_event_counts()").fetchone()
            worker.commit()
            assert row is not None
            folded = row[0]
            if folded is not None:
                break
        assert folded is not None
        door.commit()
    assert check_ins_counted(db, tonight) == 4
    slots = db.execute(
        "select slot from private.event_check_in_counts where event_id = %s order by slot",
        (tonight,),
    ).fetchall()
    assert slots[0] == (0,)  # the fold's row (the door's own may be folded by now too)
