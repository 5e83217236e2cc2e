"""Benchmark: the CRM screens' reads at 100k contacts and 1M messages, through the REST API as
an organizer (the browser's path): search keystroke → first page (goal p95 < 100 ms), segment
live count (goal p95 < 300 ms), timeline first page (goal p95 < 100 ms).

Starts its own private stack and loads CONTACTS contacts (names, emails, phones, companies,
tags, a language), 10 events with a check-in for every third contact, SMS consent for half,
and MESSAGES messages spread over the contacts (a few contacts get thousands, as a busy
conversation would). Audit and message triggers are skipped for the bulk load only.
Then, each call one HTTP request with an organizer's token:
  * search: `list_contacts` for every prefix of realistic terms (first/last name, email,
    phone digits, company) as a person types them, 3+ characters;
  * count: `count_contacts` for segment definitions an organizer builds (tags, check-ins,
    consent, created between, messaging activity: replied within N days, received / opened /
    clicked a blast — three blasts to a third of the contacts each), with each definition's
    p95 and the shared buffers its query reads;
  * timeline: `contact_activity` first page for random contacts and for the busiest ones.

Run: .venv/bin/python bench/crm_contacts.py [--contacts 100000] [--messages 1000000] [--calls 200]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from typing import Any

import httpx
import psycopg
from benchkit import percentile, stop_on_sigterm
from psycopg import sql

from devstack.stack import keys
from devstack.stack.postgres import SUPERUSER
from devstack.testing import private_stack

GOALS_P95_MS = {"search": 100.0, "segment_count": 300.0, "timeline": 100.0}
NEWS_BLAST = "00000000-0000-4000-8000-00000000b001"
REMINDER_BLAST = "00000000-0000-4000-8000-00000000b002"
OLD_NEWS_BLAST = "00000000-0000-4000-8000-00000000b003"


def load(conn: psycopg.Connection[Any], contacts: int, messages: int) -> str:
    """Contacts, events, check-ins, consent and messages; returns the organizer's user id."""
    conn.execute("set session_replication_role = replica")
    conn.execute(
        """
        insert into public.contacts (phone, email, first_name, last_name, company, tags,
                                     preferred_language, created_at)
        select '+1' || (3050000000 + i)::text,
               'person' || i || '@example' || (i %% 13) || '.com',
               (array['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken'])
                 [1 + i %% 8] || i,
               'Surname' || (i %% 4999), 'Company ' || (i %% 1201),
               case when i %% 10 = 0 then array['speaker']
                    when i %% 7 = 0 then array['sponsor', 'vip']
                    else '{}' end,
               case when i %% 3 = 0 then 'es' else 'en' end,
               now() - (i || ' minutes')::interval
          from generate_series(1, %s) i
        """,
        (contacts,),
    )
    conn.execute(
        """
        insert into public.events (slug, name, starts_at, ends_at, published)
        select 'bench-' || e, 'Bench event ' || e, now() - (e * 30 || ' days')::interval,
               now() - (e * 30 || ' days')::interval + interval '3 hours', true
          from generate_series(1, 10) e
        """
    )
    conn.execute(
        """
        insert into public.check_ins (event_id, contact_id, method, checked_in_at)
        select e.id, c.id, 'qr', e.starts_at
          from (select id, row_number() over (order by created_at) n from public.contacts) c
          join (select id, starts_at, row_number() over (order by starts_at) n from public.events
                 where slug like 'bench-%') e
            on e.n = 1 + c.n % 10
         where c.n % 3 = 0
        """
    )
    conn.execute(
        """
        with c as (select id, row_number() over (order by created_at) n from public.contacts)
        insert into public.consent_events (contact_id, channel, status, source)
        select id, 'sms', 'opted_in', 'import' from c
         where n % 2 = 0
           and not exists (select 1 from public.contact_consents cc where cc.contact_id = c.id)
        """
    )
    conn.execute(
        """
        insert into public.contact_consents
               (contact_id, channel, status, source, changed_at, last_event_id)
        select contact_id, channel, status, source, created_at, id from public.consent_events ce
         where not exists (select 1 from public.contact_consents cc
                            where cc.contact_id = ce.contact_id and cc.channel = ce.channel)
        """
    )
    # A tenth of the messages go to 20 busy contacts, the rest spread over everyone.
    conn.execute(
        """
        with c as (select id, row_number() over (order by created_at) - 1 n from public.contacts),
             total as (select count(*) n from c)
        insert into public.messages (direction, kind, channel, status, contact_id, to_address, body,
                                     created_at)
        select case when m %% 4 = 0 then 'inbound' else 'outbound' end::public.message_direction,
               'conversation', 'sms',
               case when m %% 4 = 0 then 'received' else 'delivered' end::public.message_status,
               c.id, '+15550000000', 'Message number ' || m,
               now() - (m || ' seconds')::interval
          from generate_series(1, %s) m
          join c on c.n = case when m %% 10 = 0 then m %% 20 else m %% (select n from total) end
        """,
        (messages,),
    )
    load_blasts(conn)
    conn.execute("set session_replication_role = origin")
    organizer = str(uuid.uuid4())
    conn.execute(
        "insert into auth.users (id, aud, role, email)"
        " values (%s, 'authenticated', 'authenticated', 'bench-organizer@example.com')",
        (organizer,),
    )
    conn.execute(
        "insert into public.staff (user_id, level, status) values (%s, 'organizer', 'active')",
        (organizer,),
    )
    conn.execute("vacuum analyze")
    return organizer


def load_blasts(conn: psycopg.Connection[Any]) -> None:
    """Three sent blasts, each to a third of the contacts (a third of 100k each): an email that
    a third of its recipients opened and a tenth clicked, with 5 % failed and 5 % still only
    sent; an SMS reminder; an older email. Messaging-activity segments read these."""
    conn.execute(
        "insert into public.blasts (id, name, channel, status) values"
        " (%s, 'Bench news', 'email', 'completed'), (%s, 'Bench reminder', 'sms', 'completed'),"
        " (%s, 'Bench old news', 'email', 'completed')",
        (NEWS_BLAST, REMINDER_BLAST, OLD_NEWS_BLAST),
    )
    conn.execute(
        """
        with c as (select id, email, phone, row_number() over (order by created_at) n
                     from public.contacts)
        insert into public.messages (direction, kind, channel, status, contact_id, blast_id,
                                     to_address, subject, body, created_at, opened_at, clicked_at)
        select 'outbound', 'blast', b.channel::public.message_channel,
               case when c.n %% 20 = 1 then 'failed' when c.n %% 20 = 2 then 'sent'
                    else 'delivered' end::public.message_status,
               c.id, b.id, case when b.channel = 'sms' then c.phone::text else c.email end,
               case when b.channel = 'email' then 'News' end, 'Blast body',
               now() - b.age, case when b.channel = 'email' and c.n %% 3 = 0 then now() - b.age end,
               case when b.channel = 'email' and c.n %% 10 = 0 then now() - b.age end
          from c
          join (values (%s::uuid, 'email', 0, interval '2 days'),
                       (%s::uuid, 'sms', 1, interval '5 days'),
                       (%s::uuid, 'email', 2, interval '40 days')) as b (id, channel, third, age)
            on c.n %% 3 = b.third
        """,
        (NEWS_BLAST, REMINDER_BLAST, OLD_NEWS_BLAST),
    )


def keystrokes(rng: random.Random, contacts: int, count: int) -> list[str]:
    """Prefixes (3+ characters) of terms people type: names, emails, phone digits, companies."""
    terms: list[str] = []
    while len(terms) < count:
        i = rng.randint(1, contacts)
        term = rng.choice(
            [f"Grace{i}", f"Surname{i % 4999}", f"person{i}@", f"305{i:07d}", f"Company {i % 1201}"]
        )
        terms.extend(term[:length] for length in range(3, len(term) + 1))
    return terms[:count]


SEGMENTS: list[dict[str, Any]] = [
    {"tags_any": ["speaker"]},
    {"tags_all": ["sponsor", "vip"], "has_email": True},
    {"min_checkins": 1},
    {"consent_sms": "opted_in", "tags_none": ["vip"]},
    {"created_after": "2000-01-01", "has_phone": True},
    {"replied_within_days": 7},
    {"received_blasts": [NEWS_BLAST, REMINDER_BLAST]},
    {"opened_blasts": [NEWS_BLAST, OLD_NEWS_BLAST], "has_email": True},
    {"clicked_blasts": [NEWS_BLAST], "consent_sms": "opted_in"},
]


def timed_rpc(client: httpx.Client, function: str, body: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = client.post(f"/rest/v1/rpc/{function}", json=body)
    elapsed = (time.perf_counter() - started) * 1000
    if response.is_error:
        raise SystemExit(f"{function}({body}) answered {response.status_code}: {response.text}")
    return elapsed


def count_buffers(conn: psycopg.Connection[Any], organizer: str, definition: dict[str, Any]) -> int:
    """Shared buffers (hit + read) of count_contacts' query for a definition, as the organizer
    (RLS applies): EXPLAIN (ANALYZE, BUFFERS) of the statement count_contacts executes. Buffers
    do not swing with the machine's load as timings do."""
    where = conn.execute(
        "select private.contact_list_where(null, %s::jsonb, null)", (json.dumps(definition),)
    ).fetchone()
    assert where is not None
    with conn.transaction(force_rollback=True):
        conn.execute("set local role authenticated")
        conn.execute(
            "select set_config('request.jwt.claims', %s, true)",
            (json.dumps({"sub": organizer, "role": "authenticated"}),),
        )
        conn.execute(
            "prepare bench_count (text, jsonb, text) as"
            f" select count(*) from public.contacts c where {where[0]}"
        )
        # EXPLAIN takes no bound parameters: the definition goes in as a quoted literal.
        row = conn.execute(
            sql.SQL(
                "explain (analyze, buffers, format json) execute bench_count(null, {}::jsonb, null)"
            ).format(sql.Literal(json.dumps(definition)))
        ).fetchone()
        conn.execute("deallocate bench_count")
    assert row is not None
    plan = row[0][0]["Plan"]
    return int(plan["Shared Hit Blocks"]) + int(plan["Shared Read Blocks"])


def summary(values: list[float]) -> dict[str, float]:
    return {
        "calls": len(values),
        "p50_ms": round(percentile(values, 0.5), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(14)

    with (
        private_stack() as stack,
        psycopg.connect(stack.config.db_url(SUPERUSER), autocommit=True) as conn,
    ):
        started = time.perf_counter()
        organizer = load(conn, args.contacts, args.messages)
        load_seconds = time.perf_counter() - started
        ids = [str(row[0]) for row in conn.execute("select id from public.contacts").fetchall()]
        busiest = [
            str(row[0])
            for row in conn.execute(
                "select contact_id from public.messages group by 1 order by count(*) desc limit 20"
            ).fetchall()
        ]
        token = keys.access_token(stack.config.jwt_secret, sub=organizer)
        headers = {"apikey": stack.config.anon_key, "Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=stack.config.api_url, headers=headers, timeout=30) as client:
            timed_rpc(client, "list_contacts", {"p_search": "warm"})
            search = [
                timed_rpc(client, "list_contacts", {"p_search": term, "p_limit": 50})
                for term in keystrokes(rng, args.contacts, args.calls)
            ]
            by_definition: dict[str, list[float]] = {json.dumps(d): [] for d in SEGMENTS}
            for i in range(args.calls // 4):
                definition = SEGMENTS[i % len(SEGMENTS)]
                by_definition[json.dumps(definition)].append(
                    timed_rpc(client, "count_contacts", {"p_definition": definition})
                )
            counts = [elapsed for values in by_definition.values() for elapsed in values]
            timeline_ids = [rng.choice(ids) for _ in range(args.calls // 2)] + busiest
            timeline = [
                timed_rpc(client, "contact_activity", {"p_contact_id": contact, "p_limit": 50})
                for contact in timeline_ids
            ]

        buffers = {json.dumps(d): count_buffers(conn, organizer, d) for d in SEGMENTS}

    results = {
        "search": summary(search),
        "segment_count": summary(counts),
        "timeline": summary(timeline),
    }
    per_definition = {
        key: {**summary(values), "buffers": buffers[key]} for key, values in by_definition.items()
    }
    print(
        json.dumps(
            {
                "contacts": args.contacts,
                "messages": args.messages,
                "load_seconds": round(load_seconds, 1),
                **results,
                "segment_count_by_definition": per_definition,
                "goals_p95_ms": GOALS_P95_MS,
            },
            indent=2,
        )
    )
    missed = [name for name, goal in GOALS_P95_MS.items() if results[name]["p95_ms"] >= goal]
    print("goals met" if not missed else f"GOALS MISSED: {', '.join(missed)}")


if __name__ == "__main__":
    main()
