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
from workers.ports import (
    BulkStatus,
    Channel,
    OutboundMessage,
    SentLookup,
    Settled,
    UnresolvedSend,
)
from workers.resolution import AmbiguousSendResolver
from workers.sending import (
    BULK_EMAIL_MAX,
    CLOCK_SKEW,
    EMAIL_GIVE_UP_SECONDS,
    EmailDelivery,
    SmsDelivery,
)

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
    return UnresolvedSend(
        f"{channel}-1", channel, "+13055550100", "hi", 1, started, from_number="+13055550000"
    )


class CountingEmail:
    """Counts provider requests; every email is accepted."""

    def __init__(self) -> None:
        self.singles = 0
        self.bulks: dict[str, int] = {}
        self.tokens: dict[str, str | None] = {}

    async def send(self, message: OutboundMessage) -> str:
        self.singles += 1
        return f"single-{message.id}"

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        bulk_id = f"bulk-{len(self.bulks)}"
        self.bulks[bulk_id] = len(messages)
        self.tokens.update({message.id: message.unsubscribe_token for message in messages})
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
    assert sender.tokens == {m.id: f"token-{m.id}" for m in marketing}, "each with its token"


class TokensAway(RecordingStore):
    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        raise ConnectionError("database away")


async def test_marketing_email_without_its_tokens_is_left_to_its_lease() -> None:
    sender, store = CountingEmail(), TokensAway()
    channel = EmailDelivery(BatchedOutbox(store, "w1"), sender)
    await asyncio.gather(*channel.deliveries([email(1, marketing=True)]))
    assert (sender.bulks, store.calls) == ({}, []), "not marked sending: claimed again later"


class LookingSms(ScriptedSms):
    def __init__(self, found: list[str]) -> None:
        super().__init__()
        self.found = found
        self.lookups: list[SentLookup] = []

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        self.lookups.append(lookup)
        return self.found


async def test_an_ambiguous_text_is_looked_up_by_its_sender_within_its_attempts_window() -> None:
    sms = LookingSms(["SM1", "SM2"])
    channel = SmsDelivery(
        BatchedOutbox(RecordingStore(), "w1"), sms, "https://hooks.example.org/", timedelta(10)
    )
    started = NOW - timedelta(minutes=1)
    decision = await channel.settle(unresolved("sms", started), started, NOW)
    assert decision == Settled(("SM1", "SM2")), "every candidate: the database picks"
    assert sms.lookups == [
        SentLookup(
            to="+13055550100",
            body="hi",
            from_number="+13055550000",
            messaging_service_sid=None,
            since=started - CLOCK_SKEW,
            until=started + timedelta(10) + CLOCK_SKEW,
        )
    ]


async def test_an_ambiguous_email_waits_for_its_webhook_then_is_retried() -> None:
    channel = EmailDelivery(BatchedOutbox(RecordingStore(), "w1"), CountingEmail())
    recent = NOW - timedelta(seconds=EMAIL_GIVE_UP_SECONDS - 1)
    old = NOW - timedelta(seconds=EMAIL_GIVE_UP_SECONDS + 1)
    assert await channel.settle(unresolved("email", recent), recent, NOW) is None
    assert await channel.settle(unresolved("email", old), old, NOW) == Settled()


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
        "sms": DecidedChannel(Settled(("SM1",))),  # type: ignore[dict-item]
        "email": DecidedChannel(None),  # type: ignore[dict-item]
        "push": DecidedChannel(Settled()),  # type: ignore[dict-item]
    }
    settled = await AmbiguousSendResolver(store, channels, 20).resolve_once()
    assert settled == 2
    assert store.calls == [("resolve", ("sms-1", 1, ("SM1",))), ("resolve", ("push-1", 1, ()))]


class StaleStore(UnresolvedStore):
    async def resolve_unresolved(
        self, message_id: str, attempt: int, provider_ids: list[str]
    ) -> str:
        return "stale"


async def test_a_stale_answer_is_not_counted_as_settled() -> None:
    channels: dict[str, Channel] = {"sms": DecidedChannel(Settled())}  # type: ignore[dict-item]
    assert await AmbiguousSendResolver(StaleStore(), channels, 20).resolve_once() == 0


def test_worker_channels_are_claimed_in_order_and_unknown_names_refused() -> None:
    known: dict[str, Channel] = {"sms": DecidedChannel(None), "email": DecidedChannel(None)}  # type: ignore[dict-item]
    assert list(claimed_channels(" email, sms ", known)) == ["email", "sms"]
    with pytest.raises(HmError, match="unknown channels whatsapp; this worker knows sms, email"):
        claimed_channels("sms,whatsapp", known)
