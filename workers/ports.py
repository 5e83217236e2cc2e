"""What the sending logic needs from the outside world, as Protocols (one adapter module each).

`twilio_sender`, `mailersend_sender` and `outbox_store` implement these against the real
services; unit tests of pure logic use fakes, integration tests the provider simulator."""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class OutboundMessage:
    """One claimed row of the outbox, with what a provider call needs."""

    id: str
    channel: str
    to_address: str
    body: str
    from_address: str | None = None
    from_name: str | None = None
    messaging_service_sid: str | None = None
    subject: str | None = None
    media_urls: tuple[str, ...] = ()
    is_marketing: bool = False
    validity_period_seconds: int | None = None
    blast_id: str | None = None
    sender_id: str | None = None
    segments: int = 1
    # Marketing email only: the signed token of its unsubscribe link (public.unsubscribe_tokens).
    unsubscribe_token: str | None = None
    # Email only: the HTML part public.email_html rendered at claim time (claim version 2); a
    # marketing email's unsubscribe link in it is the placeholder the email adapter fills in.
    html: str | None = None
    # Email only: the plain-text part public.email_text rendered at claim time (claim version 3),
    # in the recipient's language; a marketing one ends with the unsubscribe placeholder.
    text_part: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OutboundMessage:
        """Build from the claim function's row (column names per the messaging contract)."""
        return cls(
            id=str(row.get("message_id") or row["id"]),
            channel=str(row["channel"]),
            to_address=str(row["to_address"]),
            body=str(row.get("body") or ""),
            from_address=row.get("from_address"),
            from_name=row.get("from_name"),
            messaging_service_sid=row.get("messaging_service_sid"),
            subject=row.get("subject"),
            media_urls=tuple(row.get("media_urls") or ()),
            is_marketing=bool(row.get("is_marketing")),
            validity_period_seconds=row.get("validity_period_seconds"),
            blast_id=row.get("blast_id"),
            sender_id=row.get("sender_id"),
            segments=int(row.get("segments") or 1),
            html=row.get("html"),
            text_part=row.get("text_part"),
        )


@dataclass(frozen=True)
class UnresolvedSend:
    """One attempt of a message left in `sending`: the provider may or may not have it."""

    id: str
    channel: str
    to_address: str
    body: str
    attempt: int
    send_started_at: datetime | None
    from_number: str | None = None
    messaging_service_sid: str | None = None


@dataclass(frozen=True)
class SentLookup:
    """What identifies one attempt of a text at the provider: recipient, text, our sender, and the
    time window its request could have been created in (Twilio's create has no idempotency key)."""

    to: str
    body: str
    from_number: str | None
    messaging_service_sid: str | None
    since: datetime
    until: datetime


@dataclass(frozen=True)
class Settled:
    """An ambiguous send decided: the provider ids that may be this attempt, oldest first, or
    none for "the provider does not have it: send it again". The database takes the first one
    no other message holds, as a compare-and-set on the attempt (`resolve_unresolved`)."""

    provider_ids: tuple[str, ...] = ()


class Channel(Protocol):
    """One message channel (SMS, email, …) as the worker loop and the resolver see it: the loop
    claims a channel's messages in SQL and hands them here; everything provider-specific lives
    behind this. docs/extending.md lists what else a new channel needs."""

    def deliveries(self, messages: list[OutboundMessage]) -> list[Coroutine[Any, Any, None]]:
        """The work for a batch of claimed messages, one coroutine per provider call (each
        records its own outcome)."""
        ...

    async def settle(self, send: UnresolvedSend, since: datetime, now: datetime) -> Settled | None:
        """Decide the attempt `send` left ambiguous since `since`, or None to ask again next
        round."""
        ...


class ProviderThrottled(Exception):
    """The provider refused the request unprocessed (Twilio 429/20429, MailerSend 429)."""

    def __init__(self, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ProviderRejected(Exception):
    """The provider definitely did not accept the message (a 4xx with an error code)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class InvalidUnsubscribeToken(Exception):
    """An unsubscribe token the database refused: forged, altered, expired or its person erased."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# The refusal codes of the token functions (20261125002150_unsubscribe_tokens.sql).
TOKEN_REFUSALS = ("invalid_token", "expired_token")


class ProviderAmbiguous(Exception):
    """5xx, timeout or a dropped connection after the request left: it may have been sent."""


@dataclass(frozen=True)
class BulkStatus:
    state: str
    message_ids: list[str] = field(default_factory=list)
    validation_errors: dict[str, list[str]] = field(default_factory=dict)


class SmsSender(Protocol):
    async def send(self, message: OutboundMessage, status_callback: str) -> tuple[str, str]:
        """Create the text; returns (provider id, provider status). Raises the Provider* errors."""

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        """Provider ids of outbound texts matching `lookup`, oldest first (more than one when the
        same text went to the same number more than once in the window)."""


class EmailSender(Protocol):
    async def send(self, message: OutboundMessage) -> str:
        """Send one email; returns the provider's message id."""

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        """Queue up to 500 emails in one request; returns the bulk id."""

    async def bulk_status(self, bulk_id: str) -> BulkStatus:
        """Where a bulk request is; `message_ids` follow the order of the request."""


@dataclass(frozen=True)
class SentResult:
    message_id: str
    provider_id: str
    provider_status: str


class OutboxStore(Protocol):
    async def claim(
        self,
        worker_id: str,
        channel: str,
        limit: int,
        lease_seconds: int,
        now: datetime | None = None,
    ) -> list[OutboundMessage]:
        """`now` overrides the database clock for quiet hours and pacing (tests, drills)."""

    async def mark_sending(self, message_ids: list[str], worker_id: str) -> set[str]:
        """Of `message_ids` (claimed by `worker_id`), the ones that may be sent now; each
        returned id is "possibly sent" from here on."""

    async def record_sent(self, results: list[SentResult]) -> None:
        """What the provider accepted (idempotent per message)."""

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None: ...

    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]: ...

    async def resolve_unresolved(
        self, message_id: str, attempt: int, provider_ids: list[str]
    ) -> str:
        """Settle `attempt` (a compare-and-set): the first of `provider_ids` no other message
        holds makes it sent, none queues it again; 'stale' when the message moved on."""

    async def queue_depth(self, channel: str) -> int: ...

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        """The signed unsubscribe token of each message, by message id."""


class DeliveryOutbox(Protocol):
    """The outbox calls one delivery makes about its own message (see `outbox_batches`)."""

    async def mark_sending(self, message_id: str) -> bool:
        """True: go ahead with the provider call (the message is now "possibly sent")."""

    async def record_sent(
        self, message_id: str, provider_id: str, provider_status: str
    ) -> None: ...

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None: ...

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        """The signed unsubscribe token of each message, by message id (marketing email)."""


@dataclass(frozen=True)
class AutomationRun:
    """One line of the automation run log: what an automation did for one occasion."""

    automation_id: str
    occasion: str
    enqueued: int
    skipped: int
    status: str
    error: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AutomationRun:
        return cls(
            automation_id=str(row["automation_id"]),
            occasion=str(row["occasion"]),
            enqueued=int(row["enqueued"]),
            skipped=int(row["skipped"]),
            status=str(row["status"]),
            error=row.get("error"),
        )


class AutomationStore(Protocol):
    async def run_due_automations(self) -> list[AutomationRun]:
        """Act on every due automation (one runner at a time: [] while another runs)."""


class WebhookStore(Protocol):
    async def store_event(
        self, provider: str, event_id: str, event_type: str, payload: dict[str, Any]
    ) -> tuple[str, bool]:
        """Store the raw event first; returns (our event id, whether it was a duplicate)."""

    async def process_event(self, event_id: str) -> dict[str, Any]: ...

    async def list_deferred(self, older_than_seconds: int, limit: int) -> list[str]:
        """Events the replay sweep should process again, oldest first: stored but never
        processed (a server died in between), or parked as `deferred` about a message whose
        provider id is now known. Both transports ask `public.list_replayable_webhook_events`,
        the one definition of that rule."""

    async def replay_event(self, event_id: str) -> dict[str, Any]: ...

    async def one_click_unsubscribe(self, token: str) -> bool:
        """RFC 8058 one-click unsubscribe; True when it changed the consent. Raises
        InvalidUnsubscribeToken for a token the database refuses."""
