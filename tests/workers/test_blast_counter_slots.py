"""Two waits the blast lock order left open, step by step on the real SQL functions:

- an A/B winner decision took the blast row FOR UPDATE, so every claim inserting a message of
  the blast (its foreign key's FOR KEY SHARE) waited for the whole decision
  (20261129020000_blast_winner_lock);
- counter delta rows were keyed by pid % 16, so two backends sharing a remainder waited for
  each other's delta row while each held a message the other wanted: a deadlock
  (20261129020100_blast_counter_slots)."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from tests.polling import eventually
from tests.workers.flow_helpers import Connection
from tests.workers.test_blast_winners import started_ab_blast

SERVICE_ROLE = "select set_config('request.jwt.claims', '{\"role\": \"service_role\"}', false)"


def waiting_for_a_lock(db: Connection, pid: int) -> bool:
    row = db.execute(
        "select wait_event_type = 'Lock' from pg_stat_activity where pid = %s", (pid,)
    ).fetchone()
    return row == (True,)


def in_background(work: Callable[[], Any]) -> tuple[threading.Thread, list[str]]:
    """Run `work` in a thread; what it returned or the SQLSTATE it failed with lands in the list."""
    outcome: list[str] = []

    def run() -> None:
        try:
            outcome.append(str(work()))
        except psycopg.Error as error:  # asserted by the caller: a deadlock aborts one side
            outcome.append(f"{error.sqlstate}: {error}")

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_winner_decision_does_not_hold_up_a_claims_message_inserts(
    db: Connection, stack: LocalStack
) -> None:
    """The decision holds the blast row until it commits; meanwhile a worker claims the test
    group's pending recipients and inserts their messages. With the row FOR UPDATE the claim
    waited (here: until its lock timeout); FOR NO KEY UPDATE lets it through."""
    blast = started_ab_blast(db, 24)
    with (
        psycopg.connect(stack.config.db_url()) as decider,
        psycopg.connect(stack.config.db_url(), autocommit=True) as claimer,
    ):
        decider.execute(SERVICE_ROLE)
        decided = decider.execute(
            "select count(*) from public.decide_blast_winners() where blast_id = %s", (blast,)
        ).fetchone()
        assert decided == (1,)
        claimer.execute("set lock_timeout = '3s'")
        claimed = claimer.execute(
            "select count(*) from public.claim_outbound_messages('winner-claim', 'sms', 4)"
            " where blast_id = %s",
            (blast,),
        ).fetchone()
        decider.commit()
    # The test group (2 per variant) was pending; the 20 released rows are the decision's until
    # it commits (SKIP LOCKED passes them by).
    assert claimed == (4,)


@contextmanager
def two_backends_sharing_a_slot(stack: LocalStack) -> Iterator[tuple[Connection, Connection]]:
    """Two connections whose backend pids have the same remainder mod 16 (the old counter slot);
    among 17 connections two always do. The second is in autocommit."""
    with ExitStack() as opened:
        seen: dict[int, Connection] = {}
        for _ in range(17):
            conn = opened.enter_context(psycopg.connect(stack.config.db_url()))
            slot = conn.info.backend_pid % 16
            if slot in seen:
                conn.autocommit = True
                yield seen[slot], conn
                return
            seen[slot] = conn
    raise AssertionError("17 connections without two sharing a remainder mod 16")


def blast_message(db: Connection, blast_id: str, contact_id: str) -> str:
    """A queued marketing message of the blast, inserted as a claim would have inserted it."""
    row = db.execute(
        """insert into public.messages (direction, kind, channel, status, contact_id, sender_id,
                                        blast_id, to_address, from_address, body, is_marketing,
                                        recipient_time_zone)
           select 'outbound', 'blast', 'sms', 'queued', c.id, b.sms_sender_id, b.id, c.phone,
                  s.from_number, 'Hi', true, c.time_zone
           from public.blasts b, public.contacts c, public.senders s
           where b.id = %s and c.id = %s and s.id = b.sms_sender_id
           returning id""",
        (blast_id, contact_id),
    ).fetchone()
    assert row is not None
    return str(row[0])


def test_two_backends_sharing_a_remainder_never_deadlock_on_counter_deltas(
    db: Connection, stack: LocalStack
) -> None:
    """Worker B records a batch of sends (record_messages_sent does one message after another in
    one transaction); worker A's claim takes one of those messages again (its lease ran out)
    and cancels a blocked one. With a shared delta row, A waits for B's row while holding the
    message B records next: PostgreSQL's deadlock detector aborts one of them."""
    sender_id, _ = scenario.create_sms_sender(db, mps=1000)
    consented = scenario.create_contacts(db, 2)
    (unconsented,) = scenario.create_contacts(db, 1, consent=False)
    blast_id = scenario.create_blast(db, channel="sms", contacts=consented, sms_sender_id=sender_id)
    scenario.start_blast(db, blast_id)
    sent_first = blast_message(db, blast_id, consented[0].id)
    claimed_again = blast_message(db, blast_id, consented[1].id)
    blocked = blast_message(db, blast_id, unconsented.id)
    db.execute(
        "update public.messages set status = 'sending', claimed_by = 'worker-b' where id = %s",
        (sent_first,),
    )
    db.execute(
        """update public.messages set claimed_by = 'worker-b',
                  lease_expires_at = now() - interval '1 second' where id = %s""",
        (claimed_again,),
    )
    # The snapshot's rows are done with: the claim takes the blast's messages only.
    db.execute(
        "update public.blast_recipients set status = 'materialised' where blast_id = %s",
        (blast_id,),
    )

    with two_backends_sharing_a_slot(stack) as (worker_b, worker_a):
        worker_b.execute(
            "select public.record_message_sent(%s, %s, 'queued')",
            (sent_first, f"SM{secrets.token_hex(8)}"),
        )
        claim, claimed = in_background(
            lambda: worker_a.execute(
                "select count(*) from public.claim_outbound_messages('worker-a', 'sms', 100)"
                " where blast_id = %s",
                (blast_id,),
            ).fetchone()
        )
        eventually(
            lambda: not claim.is_alive() or waiting_for_a_lock(db, worker_a.info.backend_pid),
            10,
            "the claim finished or waiting",
        )
        recorded = "recorded"
        try:
            worker_b.execute(
                "select public.record_message_sent(%s, %s, 'queued')",
                (claimed_again, f"SM{secrets.token_hex(8)}"),
            )
            worker_b.commit()
        except psycopg.Error as error:
            recorded = f"{error.sqlstate}: {error}"
        claim.join(10)

    assert (recorded, claimed) == ("recorded", ["(1,)"])
    statuses = db.execute(
        "select id, status::text from public.messages where id = any(%s::uuid[])",
        ([sent_first, claimed_again, blocked],),
    ).fetchall()
    assert dict((str(i), s) for i, s in statuses) == {
        sent_first: "sent",
        claimed_again: "sent",
        blocked: "cancelled",
    }
