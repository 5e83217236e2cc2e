"""Polling and querying helpers for the end-to-end messaging tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

import psycopg

Connection = psycopg.Connection[tuple[Any, ...]]
FINAL = {"delivered", "undelivered", "failed"}


def blast_statuses(db: Connection, blast_id: str) -> Counter[str]:
    rows = db.execute(
        "select status::text, count(*) from public.messages where blast_id = %s group by 1",
        (blast_id,),
    ).fetchall()
    return Counter({str(status): int(count) for status, count in rows})


def pending_recipients(db: Connection, blast_id: str) -> int:
    row = db.execute(
        "select count(*) from public.blast_recipients where blast_id = %s and status = 'pending'",
        (blast_id,),
    ).fetchone()
    return int(row[0]) if row else 0


def blast_is_final(db: Connection, blast_id: str) -> bool:
    statuses = blast_statuses(db, blast_id)
    unfinished = sum(count for status, count in statuses.items() if status not in FINAL)
    return pending_recipients(db, blast_id) == 0 and unfinished == 0


def texts_to(records: list[dict[str, Any]], from_number: str) -> Counter[str]:
    """How many texts each recipient got from this sender (the simulator's record)."""
    return Counter(r["to"] for r in records if r["from_"] == from_number)


def blast_status(db: Connection, blast_id: str) -> str:
    row = db.execute("select status::text from public.blasts where id = %s", (blast_id,)).fetchone()
    return str(row[0]) if row else ""
