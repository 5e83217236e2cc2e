"""Everything the simulator has been asked to do, kept in memory for tests and the web page."""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from devstack.simulators.config import SimulatorConfig


class FaultKind(StrEnum):
    """What can go wrong with one provider request."""

    # 429 (Twilio 20429): the request was never processed.
    RATE_LIMITED = "rate_limited"
    # 500 after the message was created: the caller cannot know whether it exists.
    SERVER_ERROR = "server_error"
    # The message is created but the answer comes only after `delay` seconds.
    TIMEOUT = "timeout"
    # The message is created, then the connection closes before any answer.
    DROP = "drop"


@dataclass
class Fault:
    """Injected into the next `count` matching requests (`provider` twilio|mailersend)."""

    provider: str
    kind: FaultKind
    count: int = 1
    to: str | None = None
    delay: float = 30.0


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def rfc2822(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


@dataclass
class SmsRecord:
    """One text Twilio "accepted", with the wire fields the API returns."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    media_urls: list[str]
    status_callback: str | None
    validity_period: int | None
    num_segments: int
    created_at: datetime
    status: str = "queued"
    error_code: int | None = None
    sent_at: datetime | None = None
    updated_at: datetime | None = None
    direction: str = "outbound-api"
    fault: str | None = None

    def to_api(self) -> dict[str, Any]:
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{self.sid}.json"
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": self.body,
            "date_created": rfc2822(self.created_at),
            "date_sent": rfc2822(self.sent_at) if self.sent_at else None,
            "date_updated": rfc2822(self.updated_at or self.created_at),
            "direction": self.direction,
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": str(len(self.media_urls)),
            "num_segments": str(self.num_segments),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": uri.removesuffix(".json") + "/Media.json"},
            "to": self.to,
            "uri": uri,
        }


@dataclass
class EmailRecord:
    """One email MailerSend accepted (singly or inside a bulk request)."""

    message_id: str
    to: list[str]
    from_email: str
    subject: str
    text: str | None
    html: str | None
    headers: list[dict[str, str]]
    personalization: list[dict[str, Any]]
    tags: list[str]
    bulk_email_id: str | None
    created_at: datetime
    status: str = "queued"


@dataclass
class BulkRecord:
    bulk_email_id: str
    created_at: datetime
    state: str = "queued"
    messages_id: list[str] = field(default_factory=list)
    validation_errors: dict[str, list[str]] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.bulk_email_id,
            "state": self.state,
            "total_recipients_count": len(self.messages_id),
            "suppressed_recipients_count": 0,
            "suppressed_recipients": None,
            "validation_errors_count": len(self.validation_errors),
            "validation_errors": self.validation_errors or None,
            "messages_id": self.messages_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.created_at.isoformat(),
        }


@dataclass
class CallbackRecord:
    """A webhook the simulator delivered (or failed to deliver) to our server."""

    provider: str
    url: str
    params: dict[str, Any]
    status_code: int | None
    response: str
    at: datetime
    signature: str = ""


@dataclass(frozen=True)
class MediaRecord:
    """A picture (or other file) a simulated contact sent in an MMS, served like Twilio's media."""

    message_sid: str
    content_type: str
    content: bytes


@dataclass
class SimulatorState:
    config: SimulatorConfig = field(default_factory=SimulatorConfig)
    sms: dict[str, SmsRecord] = field(default_factory=dict)
    emails: dict[str, EmailRecord] = field(default_factory=dict)
    bulks: dict[str, BulkRecord] = field(default_factory=dict)
    callbacks: list[CallbackRecord] = field(default_factory=list)
    inbound: list[dict[str, Any]] = field(default_factory=list)
    # Inbound MMS media by its Media sid (ME…).
    media: dict[str, MediaRecord] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    # Monotonic times of recent requests, for the simulated rate limits.
    sms_request_times: deque[float] = field(default_factory=deque)
    bulk_request_times: deque[float] = field(default_factory=deque)

    def reset(self) -> None:
        self.sms.clear()
        self.emails.clear()
        self.bulks.clear()
        self.callbacks.clear()
        self.inbound.clear()
        self.media.clear()
        self.faults.clear()
        self.sms_request_times.clear()
        self.bulk_request_times.clear()

    def take_fault(self, provider: str, to: str | None) -> Fault | None:
        """Consume one injected fault matching this request, if any."""
        for fault in self.faults:
            if fault.provider == provider and fault.to in (None, to):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None


def over_rate(times: deque[float], max_in_window: float | None, window: float) -> bool:
    """Record a request and say whether it exceeds `max_in_window` requests per `window` s."""
    if max_in_window is None:
        return False
    now = time.monotonic()
    while times and times[0] <= now - window:
        times.popleft()
    if len(times) >= max_in_window:
        return True
    times.append(now)
    return False


def now_utc() -> datetime:
    return datetime.now(UTC)
