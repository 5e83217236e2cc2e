"""The blast lock order (20261128020100_blast_lock_order.sql) under real workers: an organizer's
pause, resume and cancel while two workers claim the same blasts never deadlock, and nothing
goes out after a cancel has had two seconds to settle."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import psycopg
import pytest

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.flow_helpers import Connection

pytestmark = pytest.mark.slow

BLASTS = 3
RECIPIENTS_EACH = 600
PAUSE_RESUME_ROUNDS = 2


def test_pause_resume_and_cancel_during_a_two_worker_blast_never_deadlock(
    system: System, db: Connection, stack: LocalStack
) -> None:
    postgres_log = stack.config.log_dir / "postgres.log"
    log_offset = postgres_log.stat().st_size
    # Fast enough that both workers are inside a claim (holding recipient rows, then folding
    # onto the blast row) whenever a control arrives.
    sender_id, number = scenario.create_sms_sender(db, mps=1000)
    audiences = [scenario.create_contacts(db, RECIPIENTS_EACH) for _ in range(BLASTS)]
    blast_ids = [
        scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
        for contacts in audiences
    ]
    system.start_worker("lock-a")
    system.start_worker("lock-b")
    for blast_id in blast_ids:
        scenario.start_blast(db, blast_id)

    cancelled_at: dict[str, float] = {}
    for blast_id in blast_ids:
        # Each control is its own transaction (autocommit); a deadlock would raise here.
        for _ in range(PAUSE_RESUME_ROUNDS):
            db.execute("select public.pause_blast(%s)", (blast_id,))
            time.sleep(0.1)
            db.execute("select public.resume_blast(%s)", (blast_id,))
            time.sleep(0.1)
        db.execute("select public.cancel_blast(%s)", (blast_id,))
        cancelled_at[blast_id] = time.time()
    time.sleep(2.5)

    records = system.sim.sms()
    for blast_id, contacts in zip(blast_ids, audiences, strict=True):
        phones = {c.phone for c in contacts}
        late = [
            r
            for r in records
            if r["from_"] == number
            and r["to"] in phones
            and datetime.fromisoformat(r["created_at"]).timestamp() > cancelled_at[blast_id] + 2
        ]
        assert late == [], f"sent after the cancel of {blast_id} had settled"

    # Every recipient is accounted for on the live counters once in-flight sends finish.
    def counted_in_full() -> bool:
        rows = db.execute(
            """select count(*) filter (where p.sent_count + p.failed_count + p.skipped_count
                                            = p.recipients_total and p.status = 'cancelled')
               from unnest(%s::uuid[]) as b(id), public.blast_progress(b.id) p""",
            (blast_ids,),
        ).fetchone()
        return rows is not None and rows[0] == BLASTS

    eventually(counted_in_full, 15, "every recipient counted once on the cancelled blasts")
    with postgres_log.open(errors="replace") as log:
        log.seek(log_offset)
        errors = [line for line in log if "deadlock detected" in line]
    assert errors == []


def test_a_cancel_waiting_for_a_claims_recipients_lets_the_claim_finish(
    db: Connection, stack: LocalStack
) -> None:
    """The interleaving behind the deadlock, step by step: a claim holds recipient rows; a cancel
    takes the blast row and waits for them; the claim then does what it does next: the foreign
    key check of the message it inserts (FOR KEY SHARE on the blast) and its upkeep (folding
    counters onto the blast). Both used to wait for the cancel: a deadlock."""
    sender_id, _ = scenario.create_sms_sender(db, mps=1)
    contacts = scenario.create_contacts(db, 3)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    scenario.start_blast(db, blast_id)
    db.execute("select private.add_blast_counts(%s, p_sent => 1)", (blast_id,))
    time.sleep(1.1)  # the upkeep folds a blast last updated more than a second ago
    cancelled: list[str] = []
    with (
        psycopg.connect(stack.config.db_url()) as claim,
        psycopg.connect(stack.config.db_url(), autocommit=True) as organizer,
    ):
        claim.execute(
            """select id from public.blast_recipients where blast_id = %s and status = 'pending'
               for update skip locked""",
            (blast_id,),
        )

        def cancel() -> None:
            try:
                row = organizer.execute(
                    "select (public.cancel_blast(%s)).status::text", (blast_id,)
                ).fetchone()
            except psycopg.Error as error:  # asserted below: a deadlock aborts one side
                cancelled.append(f"{error.sqlstate}: {error}")
                return
            assert row is not None
            cancelled.append(row[0])

        canceller = threading.Thread(target=cancel)
        canceller.start()
        organizer_pid = organizer.info.backend_pid
        eventually(
            lambda: (
                db.execute(
                    "select wait_event_type = 'Lock' from pg_stat_activity where pid = %s",
                    (organizer_pid,),
                ).fetchone()
                == (True,)
            ),
            10,
            "the cancel waiting for the claim's recipients",
        )
        claim.execute("select 1 from public.blasts where id = %s for key share", (blast_id,))
        claim.execute("select private.blast_upkeep()")
        claim.commit()
        canceller.join(10)
    assert cancelled == ["cancelled"]
