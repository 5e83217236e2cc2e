"""Resolve ambiguous sends: messages left in `sending` by a 5xx, a timeout, a dropped answer or
a worker that died mid-call. A blind retry could text someone twice (Twilio's Messages create
has no idempotency key), so each send's channel decides (`Channel.settle`): SMS asks Twilio
whether it has the text; then the send is completed or retried."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from workers.metrics import UNRESOLVED
from workers.ports import Channel, OutboxStore

log = logging.getLogger(__name__)


class AmbiguousSendResolver:
    def __init__(
        self, store: OutboxStore, channels: Mapping[str, Channel], older_than_seconds: int
    ) -> None:
        self.store = store
        # Every channel this worker knows, also those it does not claim: any worker may settle
        # a send another one left ambiguous.
        self.channels = channels
        self.older_than_seconds = older_than_seconds

    async def resolve_once(self) -> int:
        """Settle every send older than the threshold; returns how many were settled."""
        unresolved = await self.store.list_unresolved(self.older_than_seconds)
        UNRESOLVED.set(len(unresolved))
        settled = 0
        now = datetime.now(UTC)
        for send in unresolved:
            context = {"message_id": send.id, "channel": send.channel}
            since = send.send_started_at or now - timedelta(hours=1)
            channel = self.channels.get(send.channel)
            decision = None if channel is None else await channel.settle(send, since, now)
            if decision is None:
                continue
            provider_id = decision.provider_id
            await self.store.resolve_unresolved(send.id, provider_id)
            settled += 1
            outcome = f"found {provider_id}" if provider_id else "not at the provider: retried"
            log.info("ambiguous send resolved: %s", outcome, extra=context)
        return settled
