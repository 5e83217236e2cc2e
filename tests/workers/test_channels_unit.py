"""Channels behind one port: how each turns claimed messages into provider calls and settles an
ambiguous send, and how the resolver and WORKER_CHANNELS use them (fakes; pure logic)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from hm.errors import HmError
from tests.workers.fakes import RecordingStore, ScriptedSms
from workers.channels import claimed_channels
from workers.outbox_batches import BatchedOutbox
from workers.ports import BulkStatus, Channel, OutboundMessage, Settled, UnresolvedSend
from workers.resolution import AmbiguousSendResolver
from workers.sending import BULK_EMAIL_MAX, EMAIL_GIVE_UP_SECONDS, EmailDelivery, SmsDelivery

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def email(number: int, marketing: bool) -> OutboundMessage:
    return OutboundMessage(
        id=f"e{number}",
        channel="email",
        to_address=f"p{number}@example.org",
        body="b",
        is_marketing=marketing,
    )


def unresolved(channel: str, started: datetime) -> UnresolvedSend:
    return UnresolvedSend(f"{channel}-1", channel, "+13055550100", "hi", started)


class CountingEmail:
    """Counts provider requests; every email is accepted."""

    def __init__(self) -> None:
        self.singles = 0
        self.bulks: dict[str, int] = {}

    async def send(self, message: OutboundMessage) -> str:
        self.singles += 1
        return f"single-{message.id}"

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        bulk_id = f"bulk-{len(self.bulks)}"
        self.bulks[bulk_id] = len(messages)
        return bulk_id

    async def bulk_status(self, bulk_id: str) -> BulkStatus:
        ids = [f"{bulk_id}-{n}" for n in range(self.bulks[bulk_id])]
        return BulkStatus("completed", ids)


async def test_marketing_email_goes_in_bulk_requests_and_the_rest_one_by_one() -> None:
    sender, store = CountingEmail(), RecordingStore()
    channel = EmailDelivery(BatchedOutbox(store, "w1"), sender)
    marketing = [email(n, marketing=True) for n in range(BULK_EMAIL_MAX + 1)]
    transactional = [email(n, marketing=False) for n in range(1000, 1002)]
    work = channel.deliveries([*marketing, *transactional])
    await asyncio.gather(*work)
    assert (len(work), sender.singles) == (4, 2)
    assert sorted(sender.bulks.values()) == [1, BULK_EMAIL_MAX]
    assert sum(name == "record_sent" for name, _ in store.calls) == BULK_EMAIL_MAX + 1 + 2


async def test_an_ambiguous_text_is_settled_by_asking_twilio() -> None:
    sms = ScriptedSms()
    channel = SmsDelivery(BatchedOutbox(RecordingStore(), "w1"), sms, "https://hooks.example.org/")
    decision = await channel.settle(unresolved("sms", NOW - timedelta(minutes=1)), NOW, NOW)
    assert isinstance(decision, Settled)


async def test_an_ambiguous_email_waits_for_its_webhook_then_is_retried() -> None:
    channel = EmailDelivery(BatchedOutbox(RecordingStore(), "w1"), CountingEmail())
    recent = NOW - timedelta(seconds=EMAIL_GIVE_UP_SECONDS - 1)
    old = NOW - timedelta(seconds=EMAIL_GIVE_UP_SECONDS + 1)
    assert await channel.settle(unresolved("email", recent), recent, NOW) is None
    assert await channel.settle(unresolved("email", old), old, NOW) == Settled(None)


class DecidedChannel:
    def __init__(self, decision: Settled | None) -> None:
        self.decision = decision

    def deliveries(self, messages: list[OutboundMessage]) -> list[object]:
        raise AssertionError("the resolver never delivers")

    async def settle(self, send: UnresolvedSend, since: datetime, now: datetime) -> Settled | None:
        return self.decision


class UnresolvedStore(RecordingStore):
    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]:
        started = datetime.now(UTC) - timedelta(minutes=5)
        return [unresolved(channel, started) for channel in ("sms", "email", "push", "fax")]


async def test_the_resolver_asks_each_sends_channel_and_skips_undecided_and_unknown() -> None:
    store = UnresolvedStore()
    channels: dict[str, Channel] = {
        "sms": DecidedChannel(Settled("SM1")),  # type: ignore[dict-item]
        "email": DecidedChannel(None),  # type: ignore[dict-item]
        "push": DecidedChannel(Settled(None)),  # type: ignore[dict-item]
    }
    settled = await AmbiguousSendResolver(store, channels, 20).resolve_once()
    assert settled == 2
    assert store.calls == [("resolve", ("sms-1", "SM1")), ("resolve", ("push-1", None))]


def test_worker_channels_are_claimed_in_order_and_unknown_names_refused() -> None:
    known: dict[str, Channel] = {"sms": DecidedChannel(None), "email": DecidedChannel(None)}  # type: ignore[dict-item]
    assert list(claimed_channels(" email, sms ", known)) == ["email", "sms"]
    with pytest.raises(HmError, match="unknown channels whatsapp; this worker knows sms, email"):
        claimed_channels("sms,whatsapp", known)
