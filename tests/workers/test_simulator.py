"""The provider simulator through the official SDKs and our adapters: shapes, auth, paging,
signed callbacks and every injected fault mapping to the right send outcome."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import httpx
import pytest
from twilio.request_validator import RequestValidator

from devstack.simulators.callbacks import mailersend_signature
from tests.workers.conftest import SIM_CONFIG, Simulator
from workers.mailersend_sender import MailerSendEmailSender
from workers.ports import (
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
    SentLookup,
)
from workers.twilio_sender import TwilioSmsSender

pytestmark = pytest.mark.asyncio


def text(to: str = "+13055550100", body: str = "Hello from Hello Miami") -> OutboundMessage:
    return OutboundMessage(
        id="00000000-0000-0000-0000-000000000001",
        channel="sms",
        to_address=to,
        body=body,
        from_address="+13055550000",
    )


def lookup(
    to: str,
    body: str,
    since: datetime,
    until: datetime | None = None,
    from_number: str = "+13055550000",
) -> SentLookup:
    return SentLookup(to, body, from_number, None, since, until or datetime.now(UTC) + timedelta(1))


def email(to: str = "ana@example.com", marketing: bool = False) -> OutboundMessage:
    return OutboundMessage(
        id="00000000-0000-0000-0000-000000000002",
        channel="email",
        to_address=to,
        body="See you Thursday",
        subject="Hello Miami",
        from_address="hello@hellomiami.org",
        from_name="Hello Miami",
        is_marketing=marketing,
        unsubscribe_token="u1.token" if marketing else None,
        # What claim version 3 renders (public.email_text) for a marketing email.
        text_part=(
            "See you Thursday\n\nUnsubscribe or change your preferences: {{unsubscribe_url}}"
            if marketing
            else None
        ),
    )


async def wait_for(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_a_picture_message_carries_every_media_url_and_its_validity(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    mms = dataclasses.replace(
        text(),
        media_urls=("https://example.org/a.jpg", "https://example.org/b.jpg"),
        validity_period_seconds=600,
    )
    await twilio_sender.send(mms, "http://127.0.0.1:9/cb")
    [record] = simulator.sms()
    assert record["media_urls"] == ["https://example.org/a.jpg", "https://example.org/b.jpg"]
    assert record["validity_period"] == 600


async def test_created_text_is_recorded_and_fetchable(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    sid, status = await twilio_sender.send(text(), "http://127.0.0.1:9/cb?message_id=x")
    assert sid.startswith("SM")
    assert status == "queued"
    fetched = await twilio_sender.client.messages(sid).fetch_async()
    assert fetched.to == "+13055550100"
    assert fetched.body == "Hello from Hello Miami"
    [record] = simulator.sms()
    assert record["sid"] == sid
    assert record["status_callback"].endswith("message_id=x")


async def test_list_filters_by_recipient_and_pages(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    for index in range(7):
        await twilio_sender.send(text(body=f"note {index}"), "http://127.0.0.1:9/cb")
    await twilio_sender.send(text(to="+13055550199"), "http://127.0.0.1:9/cb")
    listed = await twilio_sender.client.messages.list_async(to="+13055550100", page_size=3)
    assert sorted(m.body for m in listed) == sorted(f"note {i}" for i in range(7))
    since = datetime.now(UTC) - timedelta(minutes=5)
    assert len(await twilio_sender.find_sent(lookup("+13055550100", "note 4", since))) == 1
    assert await twilio_sender.find_sent(lookup("+13055550100", "never sent", since)) == []


async def test_lookup_is_bounded_by_the_sender_and_the_time_window(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    await twilio_sender.send(text(body="Same text"), "http://127.0.0.1:9/cb")
    [earlier] = simulator.sms()
    # Twilio's dates have whole seconds: a gap of two leaves a whole second between them.
    await asyncio.sleep(2.1)
    started = datetime.now(UTC)
    await twilio_sender.send(text(body="Same text"), "http://127.0.0.1:9/cb")
    later = next(record for record in simulator.sms() if record["sid"] != earlier["sid"])
    since = started - timedelta(seconds=0.5)
    assert await twilio_sender.find_sent(lookup("+13055550100", "Same text", since)) == [
        later["sid"]
    ], "an identical earlier text is outside this attempt's window"
    wide = started - timedelta(minutes=1)
    assert await twilio_sender.find_sent(lookup("+13055550100", "Same text", wide)) == [
        earlier["sid"],
        later["sid"],
    ], "both, oldest first, when the window holds both"
    other_number = lookup("+13055550100", "Same text", wide, from_number="+13055550001")
    assert await twilio_sender.find_sent(other_number) == [], "another sender's texts never match"
    before = lookup("+13055550100", "Same text", wide, until=wide + timedelta(seconds=30))
    assert await twilio_sender.find_sent(before) == [], "nor texts created after the window"


async def test_wrong_credentials_are_retried_later_not_failed(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    sender = TwilioSmsSender(SIM_CONFIG.twilio_account_sid, "wrong", http, simulator.url)
    with pytest.raises(ProviderThrottled) as raised:
        await sender.send(text(), "http://127.0.0.1:9/cb")
    assert raised.value.retry_after == 60.0
    assert simulator.sms() == []


@pytest.mark.parametrize(("to", "code"), [("3055550100", "21211"), ("+13055550177", "21610")])
async def test_provider_rejections_carry_twilio_codes(
    simulator: Simulator, twilio_sender: TwilioSmsSender, to: str, code: str
) -> None:
    simulator.configure(sms_unsubscribed=["+13055550177"])
    with pytest.raises(ProviderRejected) as raised:
        await twilio_sender.send(text(to=to), "http://127.0.0.1:9/cb")
    assert raised.value.code == code
    assert simulator.sms() == []


async def test_rate_limit_is_throttled_and_nothing_is_created(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    simulator.fault("twilio", "rate_limited")
    with pytest.raises(ProviderThrottled):
        await twilio_sender.send(text(), "http://127.0.0.1:9/cb")
    assert simulator.sms() == []


@pytest.mark.parametrize(
    ("kind", "options"),
    [("server_error", {}), ("drop", {}), ("timeout", {"delay": 5.0})],
)
async def test_ambiguous_faults_leave_the_text_created(
    simulator: Simulator, twilio_sender: TwilioSmsSender, kind: str, options: dict[str, float]
) -> None:
    simulator.fault("twilio", kind, **options)
    with pytest.raises(ProviderAmbiguous):
        await twilio_sender.send(text(), "http://127.0.0.1:9/cb")
    [record] = simulator.sms()
    assert record["fault"] == kind
    since = datetime.now(UTC) - timedelta(minutes=1)
    assert await twilio_sender.find_sent(lookup(record["to"], record["body"], since)) == [
        record["sid"]
    ]


async def test_status_callbacks_are_signed_like_twilio(
    simulator: Simulator, twilio_sender: TwilioSmsSender
) -> None:
    simulator.configure(
        sms_outcomes={"+13055550101": {"status": "undelivered", "error_code": 30003}}
    )
    await twilio_sender.send(text(to="+13055550101"), "http://127.0.0.1:9/status?message_id=m1")
    await wait_for(lambda: len(simulator.callbacks()) == 2)
    validator = RequestValidator(SIM_CONFIG.twilio_auth_token)
    sent, final = simulator.callbacks()
    assert [sent["params"]["MessageStatus"], final["params"]["MessageStatus"]] == [
        "sent",
        "undelivered",
    ]
    assert final["params"]["ErrorCode"] == "30003"
    for callback in (sent, final):
        assert validator.validate(callback["url"], callback["params"], callback["signature"])
        assert not validator.validate(
            callback["url"] + "x", callback["params"], callback["signature"]
        )


async def test_email_single_send_and_webhook_signature(
    simulator: Simulator, email_sender: MailerSendEmailSender
) -> None:
    simulator.configure(mailersend_webhook_url="http://127.0.0.1:9/mailersend/events")
    message_id = await email_sender.send(email(marketing=True))
    [record] = simulator.emails()
    assert record["message_id"] == message_id
    headers = {header["name"]: header["value"] for header in record["headers"]}
    assert headers["List-Unsubscribe"] == "<https://hooks.hellomiami.org/unsubscribe?t=u1.token>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://hellomiami.org/unsubscribe?t=u1.token" in record["text"]
    await wait_for(lambda: len(simulator.callbacks()) == 2)

    for callback in simulator.callbacks():  # signed over the exact raw body sent
        body = json.dumps(callback["params"]).encode()
        expected = mailersend_signature(SIM_CONFIG.mailersend_webhook_secret, body)
        assert callback["signature"] == expected
        assert callback["params"]["data"]["email"]["message"]["id"] == message_id


async def test_bulk_send_then_status_lists_message_ids(
    simulator: Simulator, email_sender: MailerSendEmailSender
) -> None:
    bulk_id = await email_sender.send_bulk([email("a@example.com"), email("b@example.com")])
    await wait_for(lambda: simulator.get("/_sim/bulks")[0]["state"] == "completed")
    status = await email_sender.bulk_status(bulk_id)
    assert status.state == "completed"
    assert len(status.message_ids) == 2


async def test_email_validation_error_is_a_rejection(
    simulator: Simulator, email_sender: MailerSendEmailSender
) -> None:
    invalid = email()
    request = email_sender.request_for(invalid).model_dump(by_alias=True, exclude_none=True)
    request["subject"] = ""
    async with httpx.AsyncClient() as http:
        raw = await http.post(
            f"{simulator.url}/v1/email",
            json=request,
            headers={"Authorization": f"Bearer {SIM_CONFIG.mailersend_api_key}"},
        )
    assert raw.status_code == 422
    assert "subject" in raw.json()["errors"]


async def test_bulk_rate_limit_answers_429_with_retry_after(
    simulator: Simulator, email_sender: MailerSendEmailSender
) -> None:
    simulator.configure(email_bulk_requests_per_minute=1, email_retry_after_seconds=7)
    await email_sender.send_bulk([email()])
    with pytest.raises(ProviderThrottled) as raised:
        await email_sender.send_bulk([email()])
    assert raised.value.retry_after == 7.0
