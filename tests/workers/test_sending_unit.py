"""Decisions of one SMS delivery, with fakes (pure logic; the real path is in the stack tests)."""

from __future__ import annotations

import pytest

from tests.workers.fakes import RecordingStore, ScriptedSms
from workers.ports import OutboundMessage, ProviderAmbiguous, ProviderRejected, ProviderThrottled
from workers.sending import SmsDelivery, backoff_seconds, status_callback_url

MESSAGE = OutboundMessage(id="m1", channel="sms", to_address="+13055550100", body="hi")


async def no_sleep(seconds: float) -> None:
    return None


def delivery(store: RecordingStore, sms: ScriptedSms) -> SmsDelivery:
    return SmsDelivery(store, sms, "w1", "https://hooks.example.org/", sleep=no_sleep)


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
