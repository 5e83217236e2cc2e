"""In-memory stand-ins for the ports, for unit tests of pure logic only (the integration tests
use the real database and the provider simulator)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workers.ports import (
    InvalidUnsubscribeToken,
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
    SentLookup,
    SentResult,
    UnresolvedSend,
)


@dataclass
class RecordingStore:
    """Records every call; `sendable` decides what mark_sending answers."""

    sendable: bool = True
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    events: dict[tuple[str, str], str] = field(default_factory=dict)

    async def claim(
        self,
        worker_id: str,
        channel: str,
        limit: int,
        lease_seconds: int,
        now: datetime | None = None,
    ) -> list[OutboundMessage]:
        return []

    async def mark_sending(self, message_ids: list[str], worker_id: str) -> set[str]:
        self.calls.append(("mark_sending", tuple(message_ids)))
        return set(message_ids) if self.sendable else set()

    async def record_sent(self, results: list[SentResult]) -> None:
        for result in results:
            self.calls.append(("record_sent", (result.message_id, result.provider_id)))

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None:
        self.calls.append(("record_failed", (message_id, code, retry_after_seconds)))

    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]:
        return []

    async def resolve_unresolved(
        self, message_id: str, attempt: int, provider_ids: list[str]
    ) -> str:
        self.calls.append(("resolve", (message_id, attempt, tuple(provider_ids))))
        return "sent" if provider_ids else "requeued"

    async def queue_depth(self, channel: str) -> int:
        return 0

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        return {message_id: f"token-{message_id}" for message_id in message_ids}

    async def one_click_unsubscribe(self, token: str) -> bool:
        self.calls.append(("one_click_unsubscribe", (token,)))
        if not token.startswith("u1."):
            raise InvalidUnsubscribeToken("invalid_token")
        return True

    async def store_event(
        self, provider: str, event_id: str, event_type: str, payload: dict[str, Any]
    ) -> tuple[str, bool]:
        key = (provider, event_id)
        duplicate = key in self.events
        self.events.setdefault(key, f"event-{len(self.events)}")
        self.calls.append(("store_event", (provider, event_id, event_type)))
        return self.events[key], duplicate

    async def process_event(self, event_id: str) -> dict[str, Any]:
        self.calls.append(("process_event", (event_id,)))
        return {"reply": None}

    async def list_deferred(self, older_than_seconds: int, limit: int) -> list[str]:
        return []

    async def replay_event(self, event_id: str) -> dict[str, Any]:
        return {}


@dataclass
class ScriptedSms:
    """Raises the scripted errors in order, then succeeds."""

    script: list[Exception] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    async def send(self, message: OutboundMessage, status_callback: str) -> tuple[str, str]:
        if self.script:
            raise self.script.pop(0)
        self.sent.append(message.id)
        return f"SM{len(self.sent):032d}", "queued"

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        return []


__all__ = [
    "ProviderAmbiguous",
    "ProviderRejected",
    "ProviderThrottled",
    "RecordingStore",
    "ScriptedSms",
]
