"""Decisions of one SMS delivery, with fakes (pure logic; the real path is in the stack tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.workers.fakes import RecordingStore, ScriptedSms
from workers.outbox_batches import BatchedOutbox
from workers.ports import (
    BulkStatus,
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
)
from workers.sending import EmailDelivery, SmsDelivery, backoff_seconds, status_callback_url

MESSAGE = OutboundMessage(id="m1", channel="sms", to_address="+13055550100", body="hi")


async def no_sleep(seconds: float) -> None:
    return None


def delivery(store: RecordingStore, sms: ScriptedSms) -> SmsDelivery:
    return SmsDelivery(
        BatchedOutbox(store, "w1"),
        sms,
        "https://hooks.example.org/",
        timedelta(seconds=10),
        sleep=no_sleep,
    )


async def test_sent_is_recorded_with_the_provider_id() -> None:
    store, sms = RecordingStore(), ScriptedSms()
    await delivery(store, sms).deliver(MESSAGE)
    assert [name for name, _ in store.calls] == ["mark_sending", "record_sent"]


async def test_not_sendable_any_more_means_no_provider_call() -> None:
    store, sms = RecordingStore(sendable=False), ScriptedSms()
    await delivery(store, sms).deliver(MESSAGE)
    assert sms.sent == []
    assert [name for name, _ in store.calls] == ["mark_sending"]


async def test_throttling_is_retried_then_sent_once() -> None:
    store = RecordingStore()
    sms = ScriptedSms([ProviderThrottled(None, "429"), ProviderThrottled(None, "429")])
    await delivery(store, sms).deliver(MESSAGE)
    assert sms.sent == ["m1"]


async def test_persistent_throttling_hands_the_message_back_with_a_delay() -> None:
    store = RecordingStore()
    sms = ScriptedSms([ProviderThrottled(None, "429") for _ in range(10)])
    await delivery(store, sms).deliver(MESSAGE)
    assert store.calls[-1] == ("record_failed", ("m1", "20429", 5))


async def test_rejection_is_recorded_with_twilio_code() -> None:
    store = RecordingStore()
    await delivery(store, ScriptedSms([ProviderRejected("21610", "unsubscribed")])).deliver(MESSAGE)
    assert store.calls[-1] == ("record_failed", ("m1", "21610", None))


async def test_ambiguous_send_is_neither_retried_nor_recorded() -> None:
    store, sms = RecordingStore(), ScriptedSms([ProviderAmbiguous("timeout")])
    await delivery(store, sms).deliver(MESSAGE)
    assert sms.sent == []
    assert [name for name, _ in store.calls] == ["mark_sending"]


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [(0, None, 0.25), (2, None, 1.0), (9, None, 5.0), (0, 3, 3)],
)
def test_backoff(attempt: int, retry_after: float | None, expected: float) -> None:
    assert backoff_seconds(attempt, retry_after) == expected


def test_status_callback_carries_our_message_id() -> None:
    assert status_callback_url("https://h.example.org/", "m1") == (
        "https://h.example.org/twilio/status?message_id=m1"
    )


class ScriptedEmail:
    """Bulk requests succeed; the bulk status reports `invalid` indexes as validation errors."""

    def __init__(self, invalid: set[int], throttle: bool = False) -> None:
        self.invalid = invalid
        self.throttle = throttle
        self.batches: list[list[str]] = []

    async def send(self, message: OutboundMessage) -> str:
        return "single"

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        if self.throttle:
            raise ProviderThrottled(7.0, "429")
        self.batches.append([m.id for m in messages])
        return "bulk-1"

    async def bulk_status(self, bulk_id: str) -> BulkStatus:
        count = len(self.batches[-1])
        return BulkStatus(
            state="completed",
            message_ids=[f"ms-{i}" for i in range(count) if i not in self.invalid],
            validation_errors={f"{i}.to.0.email": ["invalid"] for i in self.invalid},
        )


def emails(count: int) -> list[OutboundMessage]:
    return [
        OutboundMessage(
            id=f"e{i}", channel="email", to_address=f"p{i}@example.org", body="b", is_marketing=True
        )
        for i in range(count)
    ]


async def test_bulk_ids_are_matched_in_order_skipping_invalid_emails() -> None:
    store = RecordingStore()
    await EmailDelivery(BatchedOutbox(store, "w1"), ScriptedEmail({1})).deliver_bulk(emails(3))
    recorded = [args for name, args in store.calls if name != "mark_sending"]
    assert sorted(recorded) == [("e0", "ms-0"), ("e1", "422", None), ("e2", "ms-2")]


async def test_a_bulk_is_marked_and_recorded_in_one_call_each() -> None:
    store = RecordingStore()
    await EmailDelivery(BatchedOutbox(store, "w1"), ScriptedEmail(set())).deliver_bulk(emails(3))
    assert store.calls[0] == ("mark_sending", ("e0", "e1", "e2"))
    assert [name for name, _ in store.calls].count("mark_sending") == 1


async def test_bulk_429_requeues_every_email_after_retry_after() -> None:
    store = RecordingStore()
    await EmailDelivery(
        BatchedOutbox(store, "w1"), ScriptedEmail(set(), throttle=True)
    ).deliver_bulk(emails(2))
    failed = [args for name, args in store.calls if name == "record_failed"]
    assert failed == [("e0", "429", 7), ("e1", "429", 7)]
