"""The sender's token bucket never lets any 10 s window exceed 11 s worth of its MPS (fractional
MPS included), and a status callback processed while record_message_sent is still committing is
applied, not left deferred (two real connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import psycopg

from devstack.stack.manager import LocalStack

from .ready_blast import IN_WINDOW, ReadyBlast


def _worst_window(claims: list[tuple[datetime, int]], seconds: float) -> int:
    """Most segments claimed within any half-open window of that length."""
    worst = 0
    for start, _ in claims:
        end = start + timedelta(seconds=seconds)
        worst = max(worst, sum(segments for at, segments in claims if start <= at < end))
    return worst


def test_no_ten_second_window_exceeds_eleven_seconds_of_a_fractional_mps(
    db: psycopg.Connection[tuple[Any, ...]],
    make_ready_blast: Callable[[int, float], ReadyBlast],
) -> None:
    blast = make_ready_blast(200, 2.5)
    claims: list[tuple[datetime, int]] = []
    # One claim every 50 ms for 40 s, limit far above the rate: only the bucket paces it.
    for step in range(800):
        now = IN_WINDOW + timedelta(milliseconds=50 * step)
        rows = db.execute(
            "select segments from public.claim_outbound_messages('pacer', 'sms', 100, 3600, %s)",
            (now,),
        ).fetchall()
        claims.extend((now, int(segments)) for (segments,) in rows)

    assert _worst_window(claims, 10.0) <= blast.mps * 11
    # And the bucket does not starve the sender either: the full rate over the 40 s.
    assert sum(segments for _, segments in claims) >= blast.mps * 39


def _claim_and_mark_sending(db: psycopg.Connection[tuple[Any, ...]], worker: str) -> str:
    row = db.execute(
        "select message_id::text from public.claim_outbound_messages(%s, 'sms', 1, 3600, %s)",
        (worker, IN_WINDOW),
    ).fetchone()
    assert row is not None, "nothing to claim"
    message_id = str(row[0])
    sending = db.execute(
        "select public.mark_message_sending(%s, %s)", (message_id, worker)
    ).fetchone()
    assert sending == (True,)
    return message_id


def _deliver_callback(db_url: str, sid: str, results: list[object]) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        stored = conn.execute(
            "select event_id from public.store_webhook_event('twilio', %s, 'sms_status',"
            " jsonb_build_object('MessageSid', %s::text, 'MessageStatus', 'delivered'))",
            (f"{sid}:delivered", sid),
        ).fetchone()
        assert stored is not None
        results.append(
            conn.execute("select public.process_webhook_event(%s)", (stored[0],)).fetchone()
        )


def test_a_callback_racing_record_message_sent_is_applied(
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    make_ready_blast: Callable[[int, float], ReadyBlast],
) -> None:
    blast = make_ready_blast(1, 100.0)
    message_id = _claim_and_mark_sending(db, "racer")
    sid = f"SMrace{blast.phone_prefix[1:]}"
    results: list[object] = []

    with psycopg.connect(stack.config.db_url()) as recorder:
        # The worker's record is written but not committed when the callback is processed.
        recorder.execute("select public.record_message_sent(%s, %s, 'queued')", (message_id, sid))
        callback = threading.Thread(
            target=_deliver_callback, args=(stack.config.db_url(), sid, results)
        )
        callback.start()
        callback.join(timeout=1.0)
        assert callback.is_alive(), "the callback should wait for the record to commit"
        recorder.commit()
    callback.join(timeout=30)
    assert not callback.is_alive(), "the callback hung"

    status = db.execute(
        "select m.status::text, w.status from public.messages m"
        " join public.webhook_events w on w.provider_message_id = m.provider_id"
        " where m.id = %s",
        (message_id,),
    ).fetchone()
    assert status == ("delivered", "processed")
    db.execute("delete from public.webhook_events where provider_message_id = %s", (sid,))
