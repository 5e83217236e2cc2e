"""The ambiguous-send resolver against the real database and the provider simulator: a list read
earlier never settles an attempt started since, and an identical earlier text to the same number
is never taken for the message in doubt."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from tests.workers.conftest import Simulator
from tests.workers.flow_helpers import Connection
from workers.outbox_batches import BatchedOutbox
from workers.ports import ProviderAmbiguous, SentResult, UnresolvedSend
from workers.postgres_store import PostgresOutboxStore
from workers.resolution import AmbiguousSendResolver
from workers.sending import SmsDelivery
from workers.twilio_sender import TwilioSmsSender

pytestmark = pytest.mark.asyncio

TIMEOUT_SECONDS = 2.0


class StaleListStore(PostgresOutboxStore):
    """A resolver's store whose list was read before the world moved on."""

    stale: list[UnresolvedSend]

    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]:
        return self.stale


def resolver(store: PostgresOutboxStore, twilio_sender: TwilioSmsSender) -> AmbiguousSendResolver:
    """A resolver that settles texts through the SMS channel over the simulator."""
    sms = SmsDelivery(
        BatchedOutbox(store, "resolver"),
        twilio_sender,
        "http://127.0.0.1:9/",
        timedelta(seconds=TIMEOUT_SECONDS),
    )
    return AmbiguousSendResolver(store, {"sms": sms}, 0)


@pytest.fixture
async def store(stack: LocalStack) -> AsyncIterator[StaleListStore]:
    async with PostgresOutboxStore.open_pool(stack.config.db_url(), 2) as pool:
        yield StaleListStore(pool)


def queue_text(db: Connection, sender_id: str, to: str, body: str) -> str:
    row = db.execute(
        "insert into public.messages (kind, channel, sender_id, to_address, body)"
        " values ('transactional', 'sms', %s, %s, %s) returning id::text",
        (sender_id, to, body),
    ).fetchone()
    assert row is not None
    return str(row[0])


async def claim_and_mark(store: PostgresOutboxStore, worker: str, message_id: str) -> None:
    claimed = await store.claim(worker, "sms", 50, 60)
    assert message_id in {message.id for message in claimed}
    assert await store.mark_sending([message_id], worker) == {message_id}


def state(db: Connection, message_id: str) -> tuple[str, int, str | None, str | None]:
    row = db.execute(
        "select status::text, attempts, claimed_by, provider_id from public.messages where id = %s",
        (message_id,),
    ).fetchone()
    assert row is not None
    return str(row[0]), int(row[1]), row[2], row[3]


def recipient() -> str:
    return f"+1786555{secrets.randbelow(10_000):04d}"


async def test_a_list_read_earlier_never_requeues_an_attempt_started_since(
    store: StaleListStore, db: Connection, simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    sender_id, _ = scenario.create_sms_sender(db)
    message_id = queue_text(db, sender_id, recipient(), "Your code is 1234")
    await claim_and_mark(store, "first", message_id)
    # The worker died before its request left. One resolver reads the list...
    store.stale = [
        s for s in await PostgresOutboxStore.list_unresolved(store, 0) if s.id == message_id
    ]
    slow = resolver(store, twilio_sender)
    # ...another settles it first (not at Twilio: queued again) and a worker starts attempt 2.
    assert await store.resolve_unresolved(message_id, 1, []) == "requeued"
    await claim_and_mark(store, "second", message_id)

    assert await slow.resolve_once() == 0
    assert state(db, message_id) == ("sending", 2, "second", None), "attempt 2 is left alone"


async def test_an_identical_earlier_text_is_never_taken_for_the_message_in_doubt(
    store: StaleListStore, db: Connection, simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    sender_id, number = scenario.create_sms_sender(db)
    to = recipient()
    earlier_id = queue_text(db, sender_id, to, "See you tonight!")
    [earlier] = [m for m in await store.claim("w", "sms", 50, 60) if m.id == earlier_id]
    await store.mark_sending([earlier_id], "w")
    sid, status = await twilio_sender.send(earlier, "http://127.0.0.1:9/status")
    await store.record_sent([SentResult(earlier_id, sid, status)])

    # The same text again, a second later, from the same number: the worker dies before the
    # request leaves, so Twilio has only the earlier one.
    doubt_id = queue_text(db, sender_id, to, "See you tonight!")
    await claim_and_mark(store, "w", doubt_id)
    store.stale = [
        s for s in await PostgresOutboxStore.list_unresolved(store, 0) if s.id == doubt_id
    ]
    assert store.stale[0].from_number == number
    assert await resolver(store, twilio_sender).resolve_once() == 1
    assert state(db, doubt_id) == ("queued", 1, None, None), (
        "queued again, not given the earlier sid"
    )

    # Sent again, and this time Twilio got it but the answer was lost: its own sid is found.
    await claim_and_mark(store, "w", doubt_id)
    [again] = [s for s in await PostgresOutboxStore.list_unresolved(store, 0) if s.id == doubt_id]
    simulator.fault("twilio", "drop")
    with pytest.raises(ProviderAmbiguous):  # same recipient, text and sender as the earlier one
        await twilio_sender.send(earlier, "http://127.0.0.1:9/status")
    store.stale = [again]
    assert await resolver(store, twilio_sender).resolve_once() == 1
    status_now, attempts, _, provider_id = state(db, doubt_id)
    [record] = [r for r in simulator.sms() if r["sid"] != sid]
    assert (status_now, attempts, provider_id) == ("sent", 2, record["sid"])
