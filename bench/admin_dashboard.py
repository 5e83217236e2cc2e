"""Benchmark: the dashboard's queries and the health snapshot at 100k contacts, 1M messages and
100 events (goal: the dashboard's queries together p95 < 200 ms).

Starts its own private stack and loads CONTACTS contacts, MESSAGES messages spread over a year
(blasts, replies, inbound texts; a mix of statuses), EVENTS events with check-ins (first-timers
and returning), 20 blasts (19 completed, one still sending) with A/B recipients tied to their
messages, and a year of SMS opt-outs. Then, as an admin under RLS exactly as PostgREST does
(`set role authenticated` + JWT claims), it runs every dashboard query as the page asks it, and
`admin_health()` (which the banner polls). Prints each query's p50/p95 over ROUNDS runs, the p95
of the dashboard's queries run together, and whether it meets the goal.

The messaging views read rollups that `fold_dashboard()` (a worker, every few seconds) folds,
plus a live count of whatever changed since. So the bench times them in four states: nothing
folded (everything live, LIVE_ROUNDS rounds: what the views cost before the first fold or
after a delete), just folded, with a BLAST-text blast sent now that the fold has not seen yet
(its texts, their delivery callbacks and a reply from every tenth recipient), and folded again.
It prints how long the first (full) fold and the next (incremental) fold take.

Run: .venv/bin/python bench/admin_dashboard.py [--contacts 100000] [--messages 1000000]
     [--events 100] [--rounds 20] [--live-rounds 1] [--blast 2000]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import psycopg
from benchkit import percentile, stop_on_sigterm

from devstack.testing import private_stack

GOAL_MS = 200.0
BLASTS = 20
MESSAGE_CHUNK = 100_000
# As the dashboard page asks (frontend/src/admin/dashboardApi.ts).
DASHBOARD = {
    "contact totals": "select * from public.dashboard_contact_totals",
    "contacts per month": (
        "select * from public.dashboard_contacts_per_month order by month desc limit 12"
    ),
    "check-ins per event": (
        "select * from public.dashboard_checkins_per_event where starts_at <= now()"
        " order by starts_at desc, event_id desc limit 12"
    ),
    "messages per day": (
        "select * from public.message_daily_stats where day >= current_date - 30"
        " and direction = 'outbound' order by day"
    ),
    "rates per day": (
        "select * from public.messaging_daily_rates where day >= current_date - 30 order by day"
    ),
    "blast variants": "select * from public.blast_variant_results order by name, variant",
    "consent growth": "select * from public.dashboard_consent_growth order by month",
}
HEALTH = {"admin_health()": "select public.admin_health()"}


def load(conn: psycopg.Connection[Any], contacts: int, messages: int, events: int) -> str:
    conn.execute(
        """
        insert into public.contacts (id, phone, first_name, created_at)
        select md5('c' || i)::uuid, '+1305' || lpad(i::text, 7, '0'), 'Bench ' || i,
               now() - (i %% 365) * interval '1 day'
          from generate_series(1, %(contacts)s) as i
        """,
        {"contacts": contacts},
    )
    conn.execute(
        """
        insert into public.events (id, slug, name, starts_at, ends_at)
        select md5('e' || e)::uuid, 'bench-' || e, 'Bench night ' || e,
               now() - (e * 3) * interval '1 day',
               now() - (e * 3) * interval '1 day' + interval '3 hours'
          from generate_series(1, %(events)s) as e
        """,
        {"events": events},
    )
    # 300 people per event; neighbouring events share most of them (returning attendees).
    conn.execute(
        """
        insert into public.check_ins (event_id, contact_id, method, checked_in_at)
        select md5('e' || e)::uuid, md5('c' || (1 + (e * 97 + k) %% %(contacts)s))::uuid, 'qr',
               now() - (e * 3) * interval '1 day'
          from generate_series(1, %(events)s) as e, generate_series(1, 300) as k
        """,
        {"events": events, "contacts": contacts},
    )
    conn.execute(
        """
        insert into public.blasts (id, name, channel, status)
        select md5('b' || b)::uuid, 'Bench blast ' || b, 'sms',
               case when b = 1 then 'sending' else 'completed' end::public.blast_status
          from generate_series(1, %(blasts)s) as b
        """,
        {"blasts": BLASTS},
    )
    # A tenth of the messages are blast texts (with their recipients), a tenth inbound replies,
    # the rest 1:1 conversation texts; statuses as a real year leaves them.
    for first in range(1, messages + 1, MESSAGE_CHUNK):
        last = min(first + MESSAGE_CHUNK - 1, messages)
        conn.execute(
            """
            insert into public.messages (id, direction, kind, channel, status, contact_id, blast_id,
                                         to_address, body, created_at)
            select md5('m' || i)::uuid,
                   case when i %% 10 = 1 then 'inbound' else 'outbound' end
                     ::public.message_direction,
                   case when i %% 10 = 0 then 'blast' else 'conversation' end::public.message_kind,
                   'sms',
                   case when i %% 10 = 1 then 'received'
                        else (array['delivered', 'delivered', 'delivered', 'sent', 'undelivered',
                                    'failed', 'delivered', 'delivered', 'sent'])[1 + i %% 9] end
                     ::public.message_status,
                   md5('c' || (1 + (i::bigint * 7919) %% %(contacts)s))::uuid,
                   -- A blast goes out over a few weeks of the year, not all of it: each
                   -- of the 20 blasts sends its 5,000 texts on 19 consecutive days.
                   case when i %% 10 = 0
                        then md5('b' || (1 + (i %% 365) * %(blasts)s / 365))::uuid end,
                   '+13055550000', 'Bench text',
                   now() - (i %% 365) * interval '1 day' - (i %% 86400) * interval '1 second'
              from generate_series(%(first)s, %(last)s) as i
            """,
            {"first": first, "last": last, "contacts": contacts, "blasts": BLASTS},
        )
    conn.execute(
        """
        insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address,
                                             body, time_zone, status, message_id)
        select m.blast_id, m.contact_id, 'sms',
               case when left(m.id::text, 1) < '8' then 'A' else 'B' end,
               m.to_address, m.body, 'America/New_York', 'materialised', m.id
          from public.messages m
         where m.kind = 'blast'
        """
    )
    conn.execute(
        """
        insert into public.consent_events (contact_id, channel, status, source, created_at)
        select md5('c' || (1 + (i * 31) %% %(contacts)s))::uuid, 'sms', 'opted_out', 'keyword',
               now() - (i %% 365) * interval '1 day'
          from generate_series(1, %(optouts)s) as i
        """,
        {"contacts": contacts, "optouts": max(1, contacts // 5)},
    )
    admin = conn.execute(
        "insert into auth.users (id, aud, role, email) values"
        " (gen_random_uuid(), 'authenticated', 'authenticated', 'bench-admin@example.com')"
        " returning id"
    ).fetchone()
    assert admin is not None
    conn.execute("insert into public.staff (user_id, level) values (%s, 'admin')", (admin[0],))
    conn.execute("vacuum analyze")
    return str(admin[0])


def blast_now(conn: psycopg.Connection[Any], size: int) -> None:
    """A blast of `size` texts sent now, as the fold next finds it: its recipients and texts,
    every text's delivery callback, and a reply from every tenth recipient."""
    blast = {"blast": "Bench blast now", "size": size}
    conn.execute(
        "insert into public.blasts (id, name, channel, status)"
        " values (md5(%(blast)s)::uuid, %(blast)s, 'sms', 'sending')",
        blast,
    )
    conn.execute(
        """
        insert into public.messages (id, direction, kind, channel, status, contact_id, blast_id,
                                     to_address, body)
        select md5(%(blast)s || i)::uuid, 'outbound', 'blast', 'sms', 'sent',
               md5('c' || (1 + (i * 7907) %% 100000))::uuid, md5(%(blast)s)::uuid,
               '+13055550000', 'Bench now'
          from generate_series(1, %(size)s) as i
        """,
        blast,
    )
    conn.execute(
        """
        insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address,
                                             body, time_zone, status, message_id)
        select m.blast_id, m.contact_id, 'sms',
               case when left(m.id::text, 1) < '8' then 'A' else 'B' end,
               m.to_address, m.body, 'America/New_York', 'materialised', m.id
          from public.messages m
         where m.blast_id = md5(%(blast)s)::uuid
        """,
        blast,
    )
    conn.execute(
        "update public.messages set status = 'delivered' where blast_id = md5(%(blast)s)::uuid",
        blast,
    )
    conn.execute(
        """
        insert into public.messages (direction, kind, channel, status, contact_id, to_address, body)
        select 'inbound', 'conversation', 'sms', 'received', m.contact_id, '+13055550000', 'Thanks'
          from public.messages m
         where m.blast_id = md5(%(blast)s)::uuid and right(m.id::text, 1) in ('0', '1')
         limit %(size)s / 10
        """,
        blast,
    )
    conn.execute(
        "update public.blasts set status = 'completed' where id = md5(%(blast)s)::uuid", blast
    )


def fold(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("select public.fold_dashboard()").fetchone()
    assert row is not None
    answer = row[0]
    assert answer is not None, "another fold was running"
    return f"{answer['days']} days, {answer['blasts']} blasts in {answer['ms']:.0f} ms"


def time_queries(
    conn: psycopg.Connection[Any], admin_id: str, rounds: int
) -> tuple[dict[str, list[float]], list[float]]:
    conn.execute("set role authenticated")
    claims = json.dumps({"sub": admin_id, "role": "authenticated", "aal": "aal2"})
    conn.execute("select set_config('request.jwt.claims', %s, false)", (claims,))
    queries = {**DASHBOARD, **HEALTH}
    timings: dict[str, list[float]] = {name: [] for name in queries}
    together: list[float] = []
    for _ in range(rounds):
        dashboard_ms = 0.0
        for name, sql in queries.items():
            started = time.perf_counter()
            rows = conn.execute(sql).fetchall()  # type: ignore[call-overload]
            elapsed = (time.perf_counter() - started) * 1000
            timings[name].append(elapsed)
            assert rows, f"{name}: no rows (RLS or data wrong)"
            if name in DASHBOARD:
                dashboard_ms += elapsed
        together.append(dashboard_ms)
    conn.execute("reset role")
    conn.execute("select set_config('request.jwt.claims', '', false)")
    return timings, together


def buffers(conn: psycopg.Connection[Any], admin_id: str) -> None:
    """Each dashboard query's shared buffers (hit + read, planning included) as the admin: the
    cost that does not swing with the machine's load."""
    conn.execute("set role authenticated")
    claims = json.dumps({"sub": admin_id, "role": "authenticated", "aal": "aal2"})
    conn.execute("select set_config('request.jwt.claims', %s, false)", (claims,))
    total = 0
    for name, sql in DASHBOARD.items():
        row = conn.execute(f"explain (analyze, buffers, format json) {sql}").fetchone()  # type: ignore[call-overload]
        assert row is not None
        plan = row[0][0]
        blocks = sum(
            part.get("Shared Hit Blocks", 0) + part.get("Shared Read Blocks", 0)
            for part in (plan["Plan"], plan.get("Planning", {}))
        )
        total += blocks
        print(f"{name:>20}: {blocks:7d} buffers")
    print(f"dashboard together: {total} buffers")
    conn.execute("reset role")
    conn.execute("select set_config('request.jwt.claims', '', false)")


def report(state: str, timings: dict[str, list[float]], together: list[float]) -> None:
    print(f"-- {state}")
    for name, values in timings.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"{name:>20}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    p95 = percentile(together, 0.95)
    verdict = "meets" if p95 < GOAL_MS else "MISSES"
    print(f"dashboard together: p95 {p95:.1f} ms {verdict} the goal of {GOAL_MS:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--live-rounds", type=int, default=1, help="rounds with nothing folded")
    parser.add_argument("--blast", type=int, default=2000, help="texts of the blast sent now")
    args = parser.parse_args()
    stop_on_sigterm()
    with private_stack() as stack, psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        started = time.perf_counter()
        admin_id = load(conn, args.contacts, args.messages, args.events)
        print(
            f"loaded {args.contacts} contacts, {args.messages} messages, {args.events} events"
            f" in {time.perf_counter() - started:.1f} s"
        )
        report("nothing folded (all live)", *time_queries(conn, admin_id, args.live_rounds))
        print(f"first fold (everything): {fold(conn)}")
        report("folded", *time_queries(conn, admin_id, args.rounds))
        buffers(conn, admin_id)
        blast_now(conn, args.blast)
        report(
            f"a {args.blast}-text blast sent now, its callbacks and {args.blast // 10} replies"
            " not folded yet",
            *time_queries(conn, admin_id, args.rounds),
        )
        print(f"next fold (incremental): {fold(conn)}")
        report("folded again", *time_queries(conn, admin_id, args.rounds))


if __name__ == "__main__":
    main()
