"""A started SMS blast ready to be claimed (and its removal), for the messaging SQL tests."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

# A fixed weekday 10:00 in Miami, well inside the 09:00-20:00 window, so tests never depend on
# the wall clock.
IN_WINDOW = datetime.fromisoformat("2030-03-12T15:00:00+00:00")

Connection = psycopg.Connection[tuple[Any, ...]]


@dataclass(frozen=True)
class ReadyBlast:
    blast_id: str
    sender_id: str
    template_id: str
    phone_prefix: str
    mps: float
    recipients: int


def _one(db: Connection, sql: str, params: tuple[Any, ...]) -> str:
    row = db.execute(sql.encode(), params).fetchone()
    assert row is not None
    return str(row[0])


def create_ready_blast(db: Connection, recipients: int, mps: float) -> ReadyBlast:
    prefix = f"+1786{random.randrange(100, 999)}"
    sender_id = _one(
        db,
        "insert into public.senders (name, channel, provider, from_number, mps_segments)"
        " values (%s, 'sms', 'twilio', %s, %s) returning id",
        (f"Test sender {prefix}", f"{prefix}9999", mps),
    )
    template_id = _one(
        db,
        "insert into public.message_templates (name, channel, body)"
        " values (%s, 'sms', 'Hi {{first_name | friend}}!') returning id",
        (f"Test template {prefix}",),
    )
    blast_id = _one(
        db,
        "insert into public.blasts (name, channel, sms_template_id, sms_sender_id)"
        " values (%s, 'sms', %s, %s) returning id",
        (f"Test blast {prefix}", template_id, sender_id),
    )
    db.execute(
        b"with c as (insert into public.contacts (phone, first_name)"
        b"  select %s || lpad(g::text, 4, '0'), 'P' || g"
        b"  from generate_series(1, %s) g returning id),"
        b" consent as (insert into public.consent_events (contact_id, channel, status, source)"
        b"  select id, 'sms', 'opted_in', 'import' from c)"
        b" insert into public.blast_audience (blast_id, contact_id) select %s, id from c",
        (prefix, recipients, blast_id),
    )
    db.execute(b"select public.start_blast(%s)", (blast_id,))
    return ReadyBlast(blast_id, sender_id, template_id, prefix, mps, recipients)


def remove_ready_blast(db: Connection, blast: ReadyBlast) -> None:
    db.execute(b"delete from public.messages where blast_id = %s", (blast.blast_id,))
    db.execute(b"delete from public.blasts where id = %s", (blast.blast_id,))
    db.execute(b"delete from public.message_templates where id = %s", (blast.template_id,))
    db.execute(b"delete from public.senders where id = %s", (blast.sender_id,))
    db.execute(b"delete from public.contacts where phone like %s", (f"{blast.phone_prefix}%",))
