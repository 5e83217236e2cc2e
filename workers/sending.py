"""Deliver one claimed message (or one batch of marketing email) and record what happened.

Per message: mark `sending` → provider call → record sent/failed. The one rule that shapes
everything here: after `mark_sending`, a message the provider may have accepted is never sent
again until that doubt is resolved (see `resolution.py`)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from workers.metrics import PROVIDER_ERRORS, SENDS
from workers.ports import (
    DeliveryOutbox,
    EmailSender,
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
    SentLookup,
    Settled,
    SmsSender,
    UnresolvedSend,
)

log = logging.getLogger(__name__)

# Twilio 429/20429 means "never processed": retried here a few times, then handed back to
# the queue with a delay so other work (and other workers) are not held up.
THROTTLE_RETRIES = 4
THROTTLE_REQUEUE_SECONDS = 5
# MailerSend's bulk endpoint takes at most this many emails per request.
BULK_EMAIL_MAX = 500
# Email has no lookup by recipient in the SDK slice we use; its webhooks (tagged with our id)
# usually settle it first, so only a send this old is handed back for a retry.
EMAIL_GIVE_UP_SECONDS = 600
# Our database's clock and Twilio's may disagree by this much (both keep NTP time).
CLOCK_SKEW = timedelta(seconds=5)


def backoff_seconds(attempt: int, retry_after: float | None) -> float:
    """Honour the provider's retry-after; otherwise 0.25 s doubling, at most 5 s."""
    if retry_after is not None:
        return max(retry_after, 0.0)
    return min(0.25 * 2.0**attempt, 5.0)


def status_callback_url(public_url: str, message_id: str) -> str:
    """Our message id rides in the callback URL: it resolves an ambiguous send on arrival."""
    return f"{public_url.rstrip('/')}/twilio/status?message_id={message_id}"


def lookup_for(send: UnresolvedSend, started: datetime, request_timeout: timedelta) -> SentLookup:
    """The provider lookup of one attempt: created between its start and its request's timeout,
    by the attempt's own sender."""
    return SentLookup(
        to=send.to_address,
        body=send.body,
        from_number=send.from_number,
        messaging_service_sid=send.messaging_service_sid,
        since=started - CLOCK_SKEW,
        until=started + request_timeout + CLOCK_SKEW,
    )


@dataclass
class SmsDelivery:
    outbox: DeliveryOutbox
    sender: SmsSender
    public_url: str
    # The provider call's timeout: the latest an ambiguous attempt can have reached Twilio.
    request_timeout: timedelta
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def deliveries(self, messages: list[OutboundMessage]) -> list[Coroutine[Any, Any, None]]:
        return [self.deliver(message) for message in messages]

    async def settle(self, send: UnresolvedSend, since: datetime, now: datetime) -> Settled:
        """Twilio's Messages create has no idempotency key: ask Twilio which texts could be
        this attempt (the database picks one no other message holds)."""
        del now
        lookup = lookup_for(send, since, self.request_timeout)
        return Settled(tuple(await self.sender.find_sent(lookup)))

    async def deliver(self, message: OutboundMessage) -> None:
        context = {"message_id": message.id, "blast_id": message.blast_id, "channel": "sms"}
        sender_label = message.sender_id or "-"
        if not await self.outbox.mark_sending(message.id):
            # Paused, cancelled, opted out or out of its window since the claim: not ours to send.
            SENDS.labels("sms", sender_label, "skipped").inc()
            log.info("not sent: no longer sendable", extra=context)
            return
        callback = status_callback_url(self.public_url, message.id)
        for attempt in range(THROTTLE_RETRIES + 1):
            try:
                provider_id, status = await self.sender.send(message, callback)
            except ProviderThrottled as error:
                PROVIDER_ERRORS.labels("twilio", "20429").inc()
                if attempt < THROTTLE_RETRIES:
                    await self.sleep(backoff_seconds(attempt, error.retry_after))
                    continue
                SENDS.labels("sms", sender_label, "throttled").inc()
                await self.outbox.record_failed(
                    message.id, "20429", str(error), THROTTLE_REQUEUE_SECONDS
                )
                log.warning("throttled; handed back to the queue", extra=context)
                return
            except ProviderRejected as error:
                PROVIDER_ERRORS.labels("twilio", error.code).inc()
                SENDS.labels("sms", sender_label, "failed").inc()
                await self.outbox.record_failed(message.id, error.code, error.detail)
                log.info("rejected by Twilio", extra={**context, "code": error.code})
                return
            except ProviderAmbiguous as error:
                # Left in `sending`: its status callback or a lookup by To decides later.
                PROVIDER_ERRORS.labels("twilio", "ambiguous").inc()
                SENDS.labels("sms", sender_label, "ambiguous").inc()
                log.warning("ambiguous send: %s", error, extra=context)
                return
            SENDS.labels("sms", sender_label, "sent").inc()
            await self.outbox.record_sent(message.id, provider_id, status)
            log.debug("sent", extra={**context, "provider_id": provider_id})
            return


@dataclass
class EmailDelivery:
    outbox: DeliveryOutbox
    sender: EmailSender
    bulk_poll_interval: float = 0.25
    bulk_poll_timeout: float = 120.0

    def deliveries(self, messages: list[OutboundMessage]) -> list[Coroutine[Any, Any, None]]:
        """Marketing email in bulk requests (each fetches its unsubscribe tokens in one call);
        transactional email one by one."""
        marketing = [m for m in messages if m.is_marketing]
        return [
            *(
                self.deliver_bulk(marketing[start : start + BULK_EMAIL_MAX])
                for start in range(0, len(marketing), BULK_EMAIL_MAX)
            ),
            *(self.deliver(message) for message in messages if not message.is_marketing),
        ]

    async def settle(self, send: UnresolvedSend, since: datetime, now: datetime) -> Settled | None:
        if (now - since).total_seconds() > EMAIL_GIVE_UP_SECONDS:
            return Settled()
        return None

    async def deliver(self, message: OutboundMessage) -> None:
        context = {"message_id": message.id, "blast_id": message.blast_id, "channel": "email"}
        if not await self.outbox.mark_sending(message.id):
            SENDS.labels("email", message.sender_id or "-", "skipped").inc()
            return
        try:
            provider_id = await self.sender.send(message)
        except ProviderThrottled as error:
            await self._throttled([message], error)
            return
        except ProviderRejected as error:
            PROVIDER_ERRORS.labels("mailersend", error.code).inc()
            await self.outbox.record_failed(message.id, error.code, error.detail)
            return
        except ProviderAmbiguous as error:
            PROVIDER_ERRORS.labels("mailersend", "ambiguous").inc()
            log.warning("ambiguous email send: %s", error, extra=context)
            return
        SENDS.labels("email", message.sender_id or "-", "sent").inc()
        await self.outbox.record_sent(message.id, provider_id, "queued")

    async def deliver_bulk(self, messages: list[OutboundMessage]) -> None:
        """Marketing email through the bulk endpoint (≤ 500 per request)."""
        try:
            messages = await self._with_unsubscribe_tokens(messages)
        except Exception:  # not marked sending: their leases expire and they are claimed again
            log.exception("reading the unsubscribe tokens of %d emails failed", len(messages))
            return
        marks = await asyncio.gather(*(self.outbox.mark_sending(m.id) for m in messages))
        started = [message for message, sendable in zip(messages, marks, strict=True) if sendable]
        if not started:
            return
        try:
            bulk_id = await self.sender.send_bulk(started)
        except ProviderThrottled as error:
            await self._throttled(started, error)
            return
        except ProviderRejected as error:
            PROVIDER_ERRORS.labels("mailersend", error.code).inc()
            for message in started:
                await self.outbox.record_failed(message.id, error.code, error.detail)
            return
        except ProviderAmbiguous as error:
            PROVIDER_ERRORS.labels("mailersend", "ambiguous").inc()
            log.warning("ambiguous bulk send of %d emails: %s", len(started), error)
            return
        await self._record_bulk(bulk_id, started)

    async def _with_unsubscribe_tokens(
        self, messages: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        """Each marketing email with its signed unsubscribe token (one call for the batch)."""
        tokens = await self.outbox.unsubscribe_tokens([m.id for m in messages])
        return [dataclasses.replace(m, unsubscribe_token=tokens.get(m.id)) for m in messages]

    async def _throttled(self, messages: list[OutboundMessage], error: ProviderThrottled) -> None:
        # Refused, never processed: back to the queue after retry-after. The blast therefore
        # cannot count these as done (listmonk's "finished with refused messages" bug).
        PROVIDER_ERRORS.labels("mailersend", "429").inc()
        delay = math.ceil(error.retry_after) if error.retry_after is not None else 60
        for message in messages:
            SENDS.labels("email", message.sender_id or "-", "throttled").inc()
            await self.outbox.record_failed(message.id, "429", str(error), delay)
        log.warning("MailerSend 429: %d emails requeued in %d s", len(messages), delay)

    async def _record_bulk(self, bulk_id: str, messages: list[OutboundMessage]) -> None:
        deadline = asyncio.get_running_loop().time() + self.bulk_poll_timeout
        while True:
            status = await self.sender.bulk_status(bulk_id)
            if status.state == "completed":
                break
            if asyncio.get_running_loop().time() > deadline:
                # Still `sending`: resolved later like any ambiguous send.
                log.warning("bulk %s not completed in time", bulk_id)
                return
            await asyncio.sleep(self.bulk_poll_interval)
        invalid = {int(key.split(".", 1)[0]) for key in status.validation_errors}
        accepted = iter(status.message_ids)
        recordings: list[Awaitable[None]] = []
        for index, message in enumerate(messages):
            if index in invalid:
                recordings.append(
                    self.outbox.record_failed(message.id, "422", "rejected by bulk validation")
                )
                continue
            provider_id = next(accepted, None)
            if provider_id is None:
                # The rest stay `sending`: resolved later like any ambiguous send.
                log.warning("bulk %s returned fewer ids than emails", bulk_id)
                break
            SENDS.labels("email", message.sender_id or "-", "sent").inc()
            recordings.append(self.outbox.record_sent(message.id, provider_id, "queued"))
        # Together, so the sent ones share batch calls.
        await asyncio.gather(*recordings)
