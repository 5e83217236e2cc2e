"""In-memory stand-ins for the ports, for unit tests of pure logic only (the integration tests
use the real database and the provider simulator)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workers.ports import (
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
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

    async def resolve_unresolved(self, message_id: str, provider_id: str | None) -> None:
        self.calls.append(("resolve", (message_id, provider_id)))

    async def queue_depth(self, channel: str) -> int:
        return 0

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

    async def find_sent(self, to: str, body: str, since: datetime) -> str | None:
        return None


__all__ = [
    "ProviderAmbiguous",
    "ProviderRejected",
    "ProviderThrottled",
    "RecordingStore",
    "ScriptedSms",
]
