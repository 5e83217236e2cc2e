"""Benchmark: database time of `public.check_in` with 100k contacts, as a door volunteer.

Starts its own private stack, loads N contacts (and a realistic history: three past events with
check-ins and printed tags), then checks in `--calls` distinct people to an open event — by QR
token (3 of 4) or typed phone (1 of 4) — each call its own transaction, as PostgREST runs it.
Reports p50/p95/p99 of:
  * round trip: `select public.check_in(…)` + commit over the local socket (what a client waits
    for from the database), and
  * in-database: the same calls timed with clock_timestamp() inside one server-side loop
    (function time only, no network or commit),
plus the idempotent repeat (already_checked_in). Goal: p95 < 10 ms.

Run: .venv/bin/python bench/checkin.py [--contacts 100000] [--calls 1000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import psycopg
from benchkit import percentile, stop_on_sigterm

from devstack.testing import private_stack

EVENT_ID = "00000000-0000-0000-0000-00000000be01"
GOAL_P95_MS = 10.0


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.50), 3),
        "p95_ms": round(percentile(values, 0.95), 3),
        "p99_ms": round(percentile(values, 0.99), 3),
        "mean_ms": round(statistics.fmean(values), 3),
        "calls": len(values),
    }


def load(conn: psycopg.Connection[Any], contacts: int) -> str:
    """Contacts, history, a volunteer and an open event; returns the volunteer's user id."""
    conn.execute("set session_replication_role = replica")  # bulk load: skip audit triggers
    conn.execute(
        """
        insert into public.contacts (phone, email, first_name, last_name, company, pronouns, tags,
                                     created_at)
        select '+1' || (2000000000 + i)::text, 'person' || i || '@example.com', 'First' || i,
               'Last' || (i %% 997), 'Company ' || (i %% 500), 'they/them',
               case when i %% 10 = 0 then array['speaker'] else '{}' end,
               now() - make_interval(days => i %% 700)
          from generate_series(1, %s) i
        """,
        (contacts,),
    )
    volunteer = conn.execute(
        "insert into auth.users (id, aud, role, email) values "
        "(gen_random_uuid(), 'authenticated', 'authenticated', 'bench-volunteer@example.com') "
        "returning id"
    ).fetchone()
    assert volunteer is not None
    volunteer_id = str(volunteer[0])
    device_user = conn.execute(
        "insert into auth.users (id, aud, role, email) "
        "values (gen_random_uuid(), 'authenticated', 'authenticated', 'bench-device@example.com') "
        "returning id"
    ).fetchone()
    assert device_user is not None
    conn.execute(
        "insert into public.staff (user_id, level, status) values (%s, 'volunteer', 'active')",
        (volunteer_id,),
    )
    conn.execute(
        "insert into public.devices (user_id, name, cups_queue) values (%s, 'bench', 'Label')",
        (device_user[0],),
    )
    conn.execute(
        """
        insert into public.events (id, slug, name, starts_at, ends_at, published, default_device_id)
        select %s, 'bench-night', 'Bench Night', now(), now() + interval '3 hours', true,
               (select id from public.devices where name = 'bench')
        union all
        select gen_random_uuid(), 'past-' || n, 'Past ' || n, now() - make_interval(days => 30 * n),
               now() - make_interval(days => 30 * n) + interval '3 hours', true, null
          from generate_series(1, 3) n
        """,
        (EVENT_ID,),
    )
    conn.execute(
        """
        insert into public.check_ins (event_id, contact_id, method, checked_in_at)
        select e.id, c.id, 'qr', e.starts_at
          from public.events e
          join public.contacts c on c.phone::text < '+1' || (2000000000 + %s / 3)::text
         where e.slug like 'past-%%'
        """,
        (contacts,),
    )
    conn.execute(
        """
        insert into public.print_jobs (event_id, check_in_id, contact_id, payload, status)
        select event_id, id, contact_id, '{}', 'printed' from public.check_ins
        """
    )
    conn.execute("set session_replication_role = origin")
    conn.execute("analyze")
    return volunteer_id


def as_volunteer(conn: psycopg.Connection[Any], volunteer_id: str) -> None:
    conn.execute("set role authenticated")
    conn.execute(
        "select set_config('request.jwt.claims', %s, false)",
        (json.dumps({"sub": volunteer_id, "role": "authenticated"}),),
    )


def pick_people(conn: psycopg.Connection[Any], count: int) -> list[tuple[str, str]]:
    """(qr_token, phone) of `count` random contacts not yet checked in tonight."""
    rows = conn.execute(
        "select qr_token, phone::text from public.contacts order by random() limit %s",
        (count,),
    ).fetchall()
    return [(str(token), str(phone)) for token, phone in rows]


def round_trips(conn: psycopg.Connection[Any], people: list[tuple[str, str]]) -> list[float]:
    timings: list[float] = []
    for index, (token, phone) in enumerate(people):
        typed_phone = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
        start = time.perf_counter()
        if index % 4 == 3:
            row = conn.execute(
                "select public.check_in(%s, p_phone => %s)", (EVENT_ID, typed_phone)
            ).fetchone()
        else:
            row = conn.execute(
                "select public.check_in(%s, p_qr_token => %s)", (EVENT_ID, token)
            ).fetchone()
        timings.append((time.perf_counter() - start) * 1000)
        assert row is not None
    return timings


def repeat_round_trips(conn: psycopg.Connection[Any], people: list[tuple[str, str]]) -> list[float]:
    timings: list[float] = []
    for token, _ in people:
        start = time.perf_counter()
        row = conn.execute(
            "select public.check_in(%s, p_qr_token => %s)", (EVENT_ID, token)
        ).fetchone()
        timings.append((time.perf_counter() - start) * 1000)
        assert row is not None
        assert row[0]["code"] == "already_checked_in"
    return timings


TIMER_FUNCTION = """
create function pg_temp.time_check_ins(p_event_id uuid, p_tokens text[]) returns setof float8
language plpgsql
as $$
declare
  v_token text;
  v_started timestamptz;
begin
  foreach v_token in array p_tokens loop
    v_started := clock_timestamp();
    perform public.check_in(p_event_id, p_qr_token => v_token);
    return next extract(epoch from clock_timestamp() - v_started) * 1000;
  end loop;
end
$$
"""


def install_timer(conn: psycopg.Connection[Any]) -> None:
    """A session-local function timing each call inside the server (run as the superuser)."""
    conn.execute(TIMER_FUNCTION)
    conn.execute("grant execute on function pg_temp.time_check_ins(uuid, text[]) to authenticated")


def in_database(conn: psycopg.Connection[Any], people: list[tuple[str, str]]) -> list[float]:
    """Function time measured inside the server (one transaction, rolled back)."""
    tokens = [token for token, _ in people]
    with conn.transaction(force_rollback=True):
        rows = conn.execute(
            "select pg_temp.time_check_ins(%s, %s::text[])", (EVENT_ID, tokens)
        ).fetchall()
    return [float(row[0]) for row in rows]


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()

    with (
        private_stack() as stack,
        psycopg.connect(stack.config.db_url(), autocommit=True) as conn,
    ):
        started = time.perf_counter()
        volunteer_id = load(conn, args.contacts)
        load_seconds = time.perf_counter() - started
        people = pick_people(conn, args.calls * 2)
        if len(people) < args.calls * 2:
            raise SystemExit(f"only {len(people)} distinct people sampled; use more contacts")
        install_timer(conn)
        as_volunteer(conn, volunteer_id)
        in_db = in_database(conn, people[args.calls :])
        first = round_trips(conn, people[: args.calls])
        repeat = repeat_round_trips(conn, people[: args.calls])
        conn.execute("reset role")
        counts = conn.execute(
            "select (select count(*) from public.check_ins where event_id = %s),"
            "       (select count(*) from public.print_jobs where event_id = %s)",
            (EVENT_ID, EVENT_ID),
        ).fetchone()

    round_trip = summary(first)
    print(
        json.dumps(
            {
                "contacts": args.contacts,
                "load_seconds": round(load_seconds, 1),
                "check_in_round_trip": round_trip,
                "check_in_in_database": summary(in_db),
                "repeat_already_checked_in_round_trip": summary(repeat),
                "rows_after": {"check_ins": counts[0], "print_jobs": counts[1]} if counts else None,
                "goal_p95_ms": GOAL_P95_MS,
            },
            indent=2,
        )
    )
    if counts != (args.calls, args.calls):
        raise SystemExit(f"expected one check-in and one print job per person, got {counts}")
    print("goal met" if round_trip["p95_ms"] < GOAL_P95_MS else "GOAL MISSED")


if __name__ == "__main__":
    main()
