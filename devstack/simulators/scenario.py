"""Arrange messaging scenarios in a local database: senders, contacts with consent, blasts.

For tests and benchmarks against a local stack (a superuser psycopg connection, autocommit).
Everything is created with fresh names and numbers, so scenarios never collide in a shared
session database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

Connection = psycopg.Connection[tuple[Any, ...]]


@dataclass(frozen=True)
class Contact:
    id: str
    phone: str
    email: str


def _number_block(count: int) -> int:
    """A random base for `count` consecutive 10-digit US numbers (fictional enough for tests)."""
    return secrets.randbelow(7_000_000_000 - count) + 2_000_000_000


def zone_at_local_hour(hour: int, now: datetime | None = None) -> str:
    """An IANA zone (Etc/GMT±N) where it is now about `hour` o'clock, so quiet-hours scenarios
    do not depend on when the tests run."""
    current = (now or datetime.now(UTC)).hour
    offset = (hour - current + 12) % 24 - 12  # in -12..11
    # Etc/GMT names have the sign inverted: Etc/GMT+5 is UTC-5.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def create_sms_sender(
    conn: Connection, mps: float = 100.0, daily_cap: int | None = None
) -> tuple[str, str]:
    """An enabled Twilio sender with its own number; returns (sender id, from number)."""
    number = f"+1{_number_block(1)}"
    row = conn.execute(
        """insert into public.senders
             (name, channel, provider, from_number, mps_segments, daily_cap)
           values (%s, 'sms', 'twilio', %s, %s, %s) returning id""",
        (f"sms-{secrets.token_hex(4)}", number, mps, daily_cap),
    ).fetchone()
    assert row is not None
    return str(row[0]), number


def create_email_sender(conn: Connection, rate: float = 100.0) -> str:
    row = conn.execute(
        """insert into public.senders (name, channel, provider, from_email, from_name, mps_segments)
           values (%s, 'email', 'mailersend', 'hello@hellomiami.org', 'Hello Miami', %s)
           returning id""",
        (f"email-{secrets.token_hex(4)}", rate),
    ).fetchone()
    assert row is not None
    return str(row[0])


def create_contacts(
    conn: Connection, count: int, *, consent: bool = True, time_zone: str | None = None
) -> list[Contact]:
    """`count` contacts with a phone and an email, opted in to SMS and email when `consent`,
    living where it is early afternoon unless `time_zone` says otherwise (marketing quiet hours
    must not make a scenario depend on the time of day it runs)."""
    time_zone = time_zone or zone_at_local_hour(13)
    base = _number_block(count)
    tag = secrets.token_hex(3)
    rows = conn.execute(
        """insert into public.contacts (phone, email, first_name, time_zone)
           select '+1' || (%s + n)::text, 'c' || n || '.' || %s || '@example.org',
                  'Guest' || n, %s
           from generate_series(0, %s - 1) as n
           returning id, phone, email""",
        (base, tag, time_zone, count),
    ).fetchall()
    contacts = [Contact(str(r[0]), str(r[1]), str(r[2])) for r in rows]
    if consent:
        conn.execute(
            """insert into public.consent_events (contact_id, channel, status, source)
               select c.id, ch.channel::public.message_channel, 'opted_in', 'import'
               from unnest(%s::uuid[]) as c(id)
               cross join (values ('sms'), ('email')) as ch(channel)""",
            ([c.id for c in contacts],),
        )
    return contacts


def create_blast(
    conn: Connection,
    *,
    channel: str,
    contacts: list[Contact],
    sms_sender_id: str | None = None,
    email_sender_id: str | None = None,
    body: str = "Hi {{first_name}}, Hello Miami meets Thursday at 7pm.",
    subject: str = "Hello Miami this week",
) -> str:
    """A draft blast to an explicit list (not started)."""
    tag = secrets.token_hex(4)
    templates: dict[str, str | None] = {"sms": None, "email": None}
    for template_channel in ("sms", "email"):
        if channel in (template_channel, "both"):
            row = conn.execute(
                """insert into public.message_templates (name, channel, subject, body)
                   values (%s, %s, %s, %s) returning id""",
                (
                    f"{template_channel}-{tag}",
                    template_channel,
                    subject if template_channel == "email" else None,
                    body,
                ),
            ).fetchone()
            assert row is not None
            templates[template_channel] = str(row[0])
    row = conn.execute(
        """insert into public.blasts (name, channel, sms_template_id, email_template_id,
                                      sms_sender_id, email_sender_id)
           values (%s, %s, %s, %s, %s, %s) returning id""",
        (
            f"blast-{tag}",
            channel,
            templates["sms"],
            templates["email"],
            sms_sender_id,
            email_sender_id,
        ),
    ).fetchone()
    assert row is not None
    blast_id = str(row[0])
    conn.execute(
        """insert into public.blast_audience (blast_id, contact_id)
           select %s, unnest(%s::uuid[])""",
        (blast_id, [c.id for c in contacts]),
    )
    return blast_id


def start_blast(conn: Connection, blast_id: str) -> None:
    conn.execute("select public.start_blast(%s)", (blast_id,))
