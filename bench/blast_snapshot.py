"""Benchmark: the blast recipient snapshot for 100k recipients (goal < 2 s), against a bare
`insert … select` of as many rows in the same run.

Starts its own private stack and loads CONTACTS + 5% more contacts: every one with SMS
consent, except the extra 5% who are opted out or whose number is suppressed (so the snapshot
really filters), 10% in a time zone of their own, tags, custom fields. A saved segment
({"has_phone": true}) is the audience of an SMS blast whose template uses two merge fields with
defaults. Each round, in its own transaction that is rolled back:
  * snapshot: `select public.start_blast(id)` — audience from the segment, consent and
    suppression filters, time zones, rendering, one insert into blast_recipients with its
    indexes, totals on the blast row;
  * bare: `insert into bare_recipients select …` of the same number of rows from contacts into
    a table shaped like blast_recipients, without indexes, filters or rendering.
Both tables are vacuumed before each round (rolled-back rounds leave dead rows behind).
After one untimed warm-up round, prints the median of each and their ratio.

Run: .venv/bin/python bench/blast_snapshot.py [--contacts 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import psycopg
from benchkit import stop_on_sigterm

from devstack.stack.postgres import SUPERUSER
from devstack.testing import private_stack

GOAL_SECONDS = 2.0


def load(conn: psycopg.Connection[Any], contacts: int) -> str:
    """Contacts with consent, exclusions, a sender, a template, a segment and a draft blast."""
    excluded = contacts // 20
    total = contacts + excluded
    # Bulk load: skip audit and ledger triggers, and write the derived consent directly.
    conn.execute("set session_replication_role = replica")
    conn.execute(
        """
        insert into public.contacts
               (phone, email, first_name, last_name, tags, custom_fields, time_zone)
        select '+1' || (2000000000 + i)::text, 'person' || i || '@example.com',
               case when i %% 50 = 0 then null else 'First' || i end, 'Last' || (i %% 997),
               case when i %% 10 = 0 then array['speaker'] else '{}' end,
               jsonb_build_object('team', 'T' || (i %% 7)),
               case when i %% 10 = 0 then 'America/Chicago' end
          from generate_series(1, %s) i
        """,
        (total,),
    )
    conn.execute(
        """
        with c as (select id, row_number() over (order by phone) as n from public.contacts)
        insert into public.consent_events (contact_id, channel, status, source)
        select id, 'sms',
               (case when n > %s and n %% 2 = 0 then 'opted_out' else 'opted_in' end)
                 ::public.consent_status,
               'import'
          from c
        """,
        (contacts,),
    )
    conn.execute(
        """
        insert into public.contact_consents
               (contact_id, channel, status, source, changed_at, last_event_id)
        select contact_id, channel, status, source, created_at, id from public.consent_events
        """
    )
    conn.execute(
        """
        with c as (select phone, row_number() over (order by phone) as n from public.contacts)
        insert into public.suppressions (channel, address, reason)
        select 'sms', phone, 'invalid_number' from c where n > %s and n %% 2 = 1
        """,
        (contacts,),
    )
    conn.execute("set session_replication_role = origin")
    conn.execute("analyze")
    row = conn.execute(
        """
        with sender as (
          insert into public.senders (name, channel, provider, from_number, mps_segments)
          values ('Bench number', 'sms', 'twilio', '+13055550100', 1) returning id
        ), template as (
          insert into public.message_templates (name, channel, body)
          values ('Bench', 'sms', 'Hi {{first_name | friend}}! Team {{custom.team | none}} '
                  || 'meets at {{org_name}} on Thursday. Reply STOP to opt out.') returning id
        ), segment as (
          insert into public.segments (name, definition)
          values ('Bench: everyone with a phone', '{"has_phone": true}') returning id
        )
        insert into public.blasts (name, channel, sms_template_id, sms_sender_id, segment_id)
        select 'Bench blast', 'sms', template.id, sender.id, segment.id
          from sender, template, segment
        returning id
        """
    ).fetchone()
    assert row is not None
    # Same columns, defaults and identity as the snapshot table; no indexes, triggers or keys.
    conn.execute(
        "create table public.bare_recipients"
        " (like public.blast_recipients including defaults including identity)"
    )
    conn.commit()
    # A live database has its rows vacuumed (hint bits set, visibility map current) and analysed;
    # freshly bulk-loaded rows would make the first snapshot pay for that instead.
    conn.autocommit = True
    conn.execute("vacuum (analyze)")
    conn.autocommit = False
    return str(row[0])


def vacuum(conn: psycopg.Connection[Any]) -> None:
    """Clear the dead rows a rolled-back round leaves, as autovacuum would between real blasts:
    otherwise every round inserts into indexes bloated by all the rounds before it."""
    conn.autocommit = True
    conn.execute("vacuum public.blast_recipients, public.bare_recipients, public.blasts")
    conn.autocommit = False


def timed(conn: psycopg.Connection[Any], sql: str, params: tuple[Any, ...]) -> tuple[float, Any]:
    """Run one statement in its own transaction, rolled back; returns (seconds, first value)."""
    vacuum(conn)
    with conn.transaction(force_rollback=True):
        started = time.perf_counter()
        row = conn.execute(sql.encode(), params).fetchone()
        elapsed = time.perf_counter() - started
    return elapsed, row[0] if row else None


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--contacts", type=int, default=100_000, help="recipients the snapshot should hold"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with (
        private_stack(seed=False) as stack,
        psycopg.connect(stack.config.db_url(SUPERUSER)) as conn,
    ):
        blast_id = load(conn, args.contacts)
        snapshot_times: list[float] = []
        bare_times: list[float] = []
        recipients = None
        # One untimed round first: plans and caches warm, as on a database in use.
        timed(conn, "select (public.start_blast(%s)).recipients_total", (blast_id,))
        for _ in range(args.rounds):
            seconds, blast = timed(
                conn, "select (public.start_blast(%s)).recipients_total", (blast_id,)
            )
            snapshot_times.append(seconds)
            recipients = blast
            seconds, _ = timed(
                conn,
                """
                with inserted as (
                  insert into public.bare_recipients
                         (blast_id, contact_id, channel, to_address, body, time_zone)
                  select %s, c.id, 'sms', c.phone, 'Hi there! Reply STOP to opt out.',
                         'America/New_York'
                    from public.contacts c
                   limit %s
                  returning 1
                ) select count(*) from inserted
                """,
                (blast_id, args.contacts),
            )
            bare_times.append(seconds)

    snapshot = statistics.median(snapshot_times)
    bare = statistics.median(bare_times)
    print(
        json.dumps(
            {
                "recipients": recipients,
                "snapshot_seconds": round(snapshot, 3),
                "snapshot_rounds": [round(t, 3) for t in snapshot_times],
                "bare_insert_select_seconds": round(bare, 3),
                "bare_rounds": [round(t, 3) for t in bare_times],
                "ratio_snapshot_to_bare": round(snapshot / bare, 2),
                "goal_seconds": GOAL_SECONDS,
                "goal_met": snapshot < GOAL_SECONDS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
