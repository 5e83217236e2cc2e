"""Several worker processes claiming at once (two real connections in threads): no recipient is
ever claimed twice, and together they never outrun the sender's MPS."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import psycopg

from devstack.stack.manager import LocalStack

from .ready_blast import IN_WINDOW, ReadyBlast

Claim = tuple[str, datetime, int]


def _claim_rounds(
    db_url: str,
    worker: str,
    times: list[datetime],
    start: threading.Barrier,
    limit: int,
    claims: list[Claim],
) -> None:
    """Claim once per simulated instant, in step with the other worker (the barrier). Leases
    are an hour long, so nothing returns to the queue during a test."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        for now in times:
            start.wait()
            rows = conn.execute(
                "select message_id::text, segments"
                " from public.claim_outbound_messages(%s, 'sms', %s, 3600, %s)",
                (worker, limit, now),
            ).fetchall()
            claims.extend((str(message_id), now, int(segments)) for message_id, segments in rows)


def _run_two_workers(stack: LocalStack, times: list[datetime], limit: int) -> list[Claim]:
    start = threading.Barrier(2)
    claims: list[Claim] = []
    threads = [
        threading.Thread(
            target=_claim_rounds,
            args=(stack.config.db_url(), name, times, start, limit, claims),
        )
        for name in ("worker-a", "worker-b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a claimer hung"
    return claims


def test_two_claimers_never_get_the_same_recipient(
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    make_ready_blast: Callable[[int, float], ReadyBlast],
) -> None:
    blast = make_ready_blast(300, 1000.0)
    # While one claimer holds the sender's bucket the other skips it, so a round may give only
    # one claimer's limit: 40 rounds of 10 are enough for 300 recipients either way.
    times = [IN_WINDOW + timedelta(seconds=second) for second in range(40)]

    claims = _run_two_workers(stack, times, limit=10)

    message_ids = [message_id for message_id, _, _ in claims]
    assert len(message_ids) == len(set(message_ids)) == blast.recipients
    recipients_per_contact = db.execute(
        "select count(*), count(distinct contact_id) from public.messages where blast_id = %s",
        (blast.blast_id,),
    ).fetchone()
    assert recipients_per_contact == (blast.recipients, blast.recipients)


def test_claimers_together_never_exceed_the_senders_mps(
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    make_ready_blast: Callable[[int, float], ReadyBlast],
) -> None:
    blast = make_ready_blast(100, 3.0)
    times = [IN_WINDOW + timedelta(milliseconds=100 * step) for step in range(50)]

    claims = _run_two_workers(stack, times, limit=10)

    assert claims, "nothing was claimed"
    for instant in times:
        spent = sum(segments for _, at, segments in claims if at <= instant)
        elapsed = (instant - IN_WINDOW).total_seconds()
        # A full bucket (MPS tokens) at the start, then MPS tokens per second.
        assert spent <= blast.mps + blast.mps * elapsed + 1e-9, f"{spent} segments by +{elapsed}s"
    total_seconds = (times[-1] - IN_WINDOW).total_seconds()
    assert sum(segments for _, _, segments in claims) >= blast.mps * total_seconds - blast.mps
    row = db.execute(
        "select tokens from private.sender_rate_buckets where sender_id = %s", (blast.sender_id,)
    ).fetchone()
    assert row is not None
    assert row[0] <= blast.mps
