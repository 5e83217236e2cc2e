"""Benchmark: the events screens' queries at 100k contacts and 200 events (goals: the overview and
the live count p95 < 100 ms, a 3,000-person event's attendee list — a page of it, its counts, a
search, the live arrivals, the export of everyone — and its pass summary p95 < 300 ms).

Starts its own private stack, loads CONTACTS contacts, EVENTS past events with PER_EVENT check-ins
each (so most people are returning) and RSVPs from four in five of them, and one big event with
BIG check-ins and as many RSVPs as check-ins plus 1,000 who did not come. The big event's RSVPs
are what the passes panel meets: an SMS opt-in ledger with opt-outs and suppressed phones (they
fall back to email), some with no usable address, and passes already sent to the first third of
them (send_rsvp_passes, before the others RSVP'd). Makes an organizer and
runs, as that organizer under RLS exactly as PostgREST does (`set role authenticated` + JWT
claims), what the screens call: event_overview() (the list with its counts), event_checkin_count
(the live count), event_attendees_page (the attendee list's first page, a page 2,000 people down,
a search, and the live view's latest 20 arrivals), event_attendee_counts (the list's totals),
event_attendees (the CSV export: everyone) and rsvp_pass_summary (the passes panel: consent
and suppressions per RSVP, with an SMS sender).
Prints each query's p50/p95 over ROUNDS runs and whether every p95 meets its goal, and the
buffers each query touches (EXPLAIN ANALYZE BUFFERS, once): on a shared, loaded machine the
timings swing with the load, the work a query does does not.

Run: .venv/bin/python bench/events.py [--contacts 100000] [--events 200] [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import psycopg
from benchkit import percentile, stop_on_sigterm

from devstack.testing import private_stack

PER_EVENT = 500
BIG = 3_000
BIG_EVENT = "00000000-0000-0000-0000-0000000000b1"
# name: (SQL, arguments, goal in ms, rows expected; None: one per event). The deep page's cursor
# is read from the list once the data is loaded.
DEEP_CURSOR = "cursor after 2,000 people"
QUERIES: dict[str, tuple[str, tuple[object, ...] | None, float, int | None]] = {
    "overview": ("select * from public.event_overview()", None, 100.0, None),
    "live count": ("select public.event_checkin_count(%s)", (BIG_EVENT,), 100.0, 1),
    "attendees first page": (
        "select * from public.event_attendees_page(%s)",
        (BIG_EVENT,),
        300.0,
        50,
    ),
    "attendees deep page": (
        "select * from public.event_attendees_page(%s, %s)",
        (BIG_EVENT, DEEP_CURSOR),
        300.0,
        50,
    ),
    "attendees search": (
        "select * from public.event_attendees_page(%s, null, 50, null, null, 'bench1')",
        (BIG_EVENT,),
        300.0,
        50,
    ),
    "attendee counts": ("select * from public.event_attendee_counts(%s)", (BIG_EVENT,), 300.0, 1),
    "live arrivals": (
        "select * from public.event_attendees_page(%s, null, 20, null, true)",
        (BIG_EVENT,),
        100.0,
        20,
    ),
    "export (everyone)": (
        "select * from public.event_attendees(%s)",
        (BIG_EVENT,),
        300.0,
        BIG + 1_000,
    ),
    "pass summary (big event)": (
        "select * from public.rsvp_pass_summary(%s)",
        (BIG_EVENT,),
        300.0,
        1,
    ),
}

# Each query's SQL and its arguments, bound.
Bound = dict[str, tuple[str, tuple[object, ...] | None]]


def load(conn: psycopg.Connection[Any], contacts: int, events: int) -> str:
    conn.execute(
        "insert into public.contacts (first_name, last_name, phone, email, source)"
        " select 'Person' || i, 'Bench' || (i %% 997), '+1' || (2000000000 + i)::text,"
        "        'person' || i || '@example.com', 'bench-events'"
        "   from generate_series(1, %s) i",
        (contacts,),
    )
    conn.execute(
        "insert into public.senders (name, channel, provider, from_number, mps_segments)"
        " values ('Bench', 'sms', 'twilio', '+13055550100', 1)"
    )
    conn.execute(
        "insert into public.senders (name, channel, provider, from_email)"
        " values ('Bench mail', 'email', 'mailersend', 'events@example.org')"
    )
    conn.execute(
        "insert into public.events (slug, name, starts_at, ends_at)"
        " select 'bench-' || i, 'Bench night ' || i, now() - (i || ' days')::interval,"
        "        now() - (i || ' days')::interval + interval '3 hours'"
        "   from generate_series(1, %s) i",
        (events,),
    )
    conn.execute(
        "insert into public.events (id, slug, name, starts_at, ends_at)"
        " values (%s, 'bench-big', 'Big night', now() - interval '1 hour',"
        "         now() + interval '3 hours')",
        (BIG_EVENT,),
    )
    # Each past event: PER_EVENT people drawn from a sliding window, so windows overlap.
    conn.execute(
        """
        insert into public.check_ins (event_id, contact_id, method, checked_in_at)
        select e.id, c.id, 'qr', e.starts_at + interval '10 minutes'
          from (select id, starts_at, row_number() over (order by starts_at) as n
                  from public.events where id <> %s) e
          join lateral (select id from public.contacts
                         order by id offset ((e.n * 331) %% greatest(1, %s - %s))
                         limit %s) c on true
        """,
        (BIG_EVENT, contacts, PER_EVENT, PER_EVENT),
    )
    # Four in five of those who came to a past event had RSVP'd.
    conn.execute(
        "insert into public.event_rsvps (event_id, contact_id, created_at)"
        " select event_id, contact_id, checked_in_at - interval '3 days' from public.check_ins"
        "  where event_id <> %s and abs(hashtext(contact_id::text)) %% 5 <> 0",
        (BIG_EVENT,),
    )
    conn.execute(
        "insert into public.check_ins (event_id, contact_id, method, checked_in_at)"
        " select %s, id, 'phone', now() - random() * interval '1 hour'"
        "   from (select id from public.contacts order by id limit %s) c",
        (BIG_EVENT, BIG),
    )
    organizer = conn.execute(
        "insert into auth.users (id, aud, role, email) values"
        " (gen_random_uuid(), 'authenticated', 'authenticated', 'bench-organizer@example.com')"
        " returning id"
    ).fetchone()
    assert organizer is not None
    conn.execute(
        "insert into public.staff (user_id, level) values (%s, 'organizer')", (organizer[0],)
    )
    load_big_event_rsvps(conn, str(organizer[0]))
    conn.execute(
        "vacuum analyze public.contacts, public.events, public.check_ins, public.event_rsvps,"
        " public.contact_consents, public.suppressions, public.messages"
    )
    return str(organizer[0])


def load_big_event_rsvps(conn: psycopg.Connection[Any], organizer_id: str) -> None:
    """BIG RSVPs to the big event from people 1,001 to BIG + 1,000; every one opted in to texts,
    one in ten opted out again, one in twenty phones suppressed, one in fifty emails suppressed
    too (no usable address); the first third RSVP'd early and were sent their pass."""
    rsvps = (
        "select id, row_number() over (order by id) as n"
        "  from (select id from public.contacts order by id offset 1000 limit %s) c"
    )
    conn.execute(
        f"insert into public.consent_events (contact_id, channel, status, source)"
        f" select id, 'sms', 'opted_in', 'form' from ({rsvps}) c",
        (BIG,),
    )
    conn.execute(
        f"insert into public.consent_events (contact_id, channel, status, source)"
        f" select id, 'sms', 'opted_out', 'keyword' from ({rsvps}) c where n %% 10 = 0",
        (BIG,),
    )
    conn.execute(
        f"insert into public.suppressions (channel, address, reason)"
        f" select 'sms'::public.message_channel, phone::text,"
        f"        'not_textable'::public.suppression_reason from ({rsvps}) c"
        f"   join public.contacts p using (id) where n %% 20 = 5"
        f" union all"
        f" select channel, address, 'hard_bounce' from ({rsvps}) c"
        f"   join public.contacts p using (id)"
        f"  cross join lateral (values ('sms'::public.message_channel, p.phone::text),"
        f"                             ('email', p.email)) a (channel, address)"
        f"  where n %% 50 = 7",
        (BIG, BIG),
    )
    conn.execute(
        f"insert into public.event_rsvps (event_id, contact_id)"
        f" select %s, id from ({rsvps}) c where n <= %s",
        (BIG_EVENT, BIG, BIG // 3),
    )
    as_organizer(conn, organizer_id)
    conn.execute("select public.send_rsvp_passes(%s, 'https://app.example.org')", (BIG_EVENT,))
    conn.execute("reset role")
    conn.execute(
        f"insert into public.event_rsvps (event_id, contact_id)"
        f" select %s, id from ({rsvps}) c where n > %s",
        (BIG_EVENT, BIG, BIG // 3),
    )


def as_organizer(conn: psycopg.Connection[Any], organizer_id: str) -> None:
    conn.execute("set role authenticated")
    claims = json.dumps({"sub": organizer_id, "role": "authenticated"})
    conn.execute("select set_config('request.jwt.claims', %s, false)", (claims,))


def bound_queries(
    conn: psycopg.Connection[Any],
) -> dict[str, tuple[str, tuple[object, ...] | None]]:
    """Each query with its arguments, the deep page's cursor read from the list itself."""
    row = conn.execute(
        "select next_cursor from public.event_attendees_page(%s, null, 200) offset 199",
        (BIG_EVENT,),
    ).fetchone()
    assert row is not None
    cursor = row[0]
    for _ in range(9):
        row = conn.execute(
            "select next_cursor from public.event_attendees_page(%s, %s, 200) offset 199",
            (BIG_EVENT, cursor),
        ).fetchone()
        assert row is not None
        cursor = row[0]
    return {
        name: (sql, tuple(cursor if arg == DEEP_CURSOR else arg for arg in args) if args else None)
        for name, (sql, args, _, _) in QUERIES.items()
    }


def time_queries(
    conn: psycopg.Connection[Any],
    queries: Bound,
    events: int,
    rounds: int,
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(rounds):
        for name, (sql, arguments) in queries.items():
            started = time.perf_counter()
            found = conn.execute(sql, arguments).fetchall()  # type: ignore[arg-type]
            timings[name].append((time.perf_counter() - started) * 1000)
            expected = QUERIES[name][3] or events + 1
            assert len(found) == expected, f"{name}: {len(found)} rows (RLS or data wrong)"
    return timings


def buffers_touched(conn: psycopg.Connection[Any], queries: Bound) -> dict[str, int]:
    """Shared buffers (8 kB pages, hit or read) each query touches, as the organizer."""
    touched: dict[str, int] = {}
    for name, (sql, arguments) in queries.items():
        row = conn.execute(
            f"explain (analyze, buffers, format json) {sql}",  # type: ignore[arg-type]
            arguments,
        ).fetchone()
        assert row is not None
        plan = row[0][0]["Plan"]
        touched[name] = int(plan["Shared Hit Blocks"]) + int(plan["Shared Read Blocks"])
    return touched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    stop_on_sigterm()
    with private_stack() as stack, psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        started = time.perf_counter()
        organizer_id = load(conn, args.contacts, args.events)
        print(
            f"loaded {args.contacts} contacts, {args.events} past events x {PER_EVENT} check-ins"
            f" and a {BIG}-person event in {time.perf_counter() - started:.1f} s"
        )
        as_organizer(conn, organizer_id)
        queries = bound_queries(conn)
        timings = time_queries(conn, queries, args.events, args.rounds)
        touched = buffers_touched(conn, queries)
    met = True
    for name, values in timings.items():
        p95 = percentile(values, 0.95)
        met = met and p95 < QUERIES[name][2]
        median = percentile(values, 0.5)
        goal = QUERIES[name][2]
        print(
            f"{name:>24}: p50 {median:6.1f} ms  p95 {p95:6.1f} ms  (goal {goal:.0f} ms)"
            f"  {touched[name]:6d} buffers"
        )
    print("every p95 meets its goal" if met else "a p95 MISSES its goal")


if __name__ == "__main__":
    main()
