"""Outbound media keys become signed URLs only at the provider call (fakes of the ports)."""

from __future__ import annotations

import aiohttp
import pytest

from tests.workers.fakes import ProviderThrottled, ScriptedSms
from workers.media import SignedMediaSmsSender, inbound_key, is_media_key
from workers.ports import OutboundMessage, SentLookup


class FakeSigner:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.signed: list[str] = []

    async def sign(self, key: str, expires_in: int = 3600) -> str:
        if self.fail:
            raise aiohttp.ClientConnectionError("storage is down")
        self.signed.append(key)
        return f"https://project.supabase.co/storage/v1/object/sign/{key}?token=t"


class RecordingSms(ScriptedSms):
    def __init__(self) -> None:
        super().__init__()
        self.media: list[tuple[str, ...]] = []

    async def send(self, message: OutboundMessage, status_callback: str) -> tuple[str, str]:
        self.media.append(message.media_urls)
        return await super().send(message, status_callback)

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        return []


def reply(*media: str) -> OutboundMessage:
    return OutboundMessage(
        id="m1", channel="sms", to_address="+13055550001", body="Map", media_urls=media
    )


async def test_bucket_keys_are_signed_and_urls_pass_through() -> None:
    inner, signer = RecordingSms(), FakeSigner()
    sender = SignedMediaSmsSender(inner, signer)
    await sender.send(reply("message-media/outbound/c/a.png", "https://example.org/b.png"), "cb")
    assert inner.media == [
        (
            "https://project.supabase.co/storage/v1/object/sign/message-media/outbound/c/a.png?token=t",
            "https://example.org/b.png",
        )
    ]
    await sender.send(reply(), "cb")
    assert signer.signed == ["message-media/outbound/c/a.png"]


async def test_a_signing_failure_is_retried_never_sent_without_its_image() -> None:
    inner = RecordingSms()
    sender = SignedMediaSmsSender(inner, FakeSigner(fail=True))
    with pytest.raises(ProviderThrottled):
        await sender.send(reply("message-media/outbound/c/a.png"), "cb")
    assert inner.media == []


def test_inbound_copies_are_named_by_message_and_type() -> None:
    assert inbound_key("m1", 0, "image/jpeg; charset=binary") == "message-media/inbound/m1/0.jpg"
    assert inbound_key("m1", 2, "application/x-unknown") == "message-media/inbound/m1/2.bin"
    assert is_media_key("message-media/inbound/m1/0.jpg")
    assert not is_media_key("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME")
