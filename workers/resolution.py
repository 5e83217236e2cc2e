"""Resolve ambiguous sends: messages left in `sending` by a 5xx, a timeout, a dropped answer or
a worker that died mid-call. A blind retry could text someone twice (Twilio's Messages create
has no idempotency key), so each send's channel decides (`Channel.settle`): SMS asks Twilio
whether it has the text; then the send is completed or retried.

Two rules keep the resolver from causing the duplicate it exists to prevent:
- the SMS lookup is bounded by the attempt's sender and the time its request could have been
  created in (`sending.lookup_for`), and the database never takes a provider id another message
  already holds, so an identical earlier text to the same number is not mistaken for this one;
- the settle is a compare-and-set on the attempt the list showed: if the message was settled and
  sent again meanwhile (by a status callback, another resolver, another worker), the database
  answers 'stale' and nothing changes."""

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
        """Settle every send older than the threshold; returns how many were settled (a stale
        answer, about an attempt that moved on meanwhile, is not counted)."""
        unresolved = await self.store.list_unresolved(self.older_than_seconds)
        UNRESOLVED.set(len(unresolved))
        settled = 0
        now = datetime.now(UTC)
        for send in unresolved:
            context = {"message_id": send.id, "channel": send.channel, "attempt": send.attempt}
            since = send.send_started_at or now - timedelta(hours=1)
            channel = self.channels.get(send.channel)
            decision = None if channel is None else await channel.settle(send, since, now)
            if decision is None:
                continue
            candidates = list(decision.provider_ids)
            outcome = await self.store.resolve_unresolved(send.id, send.attempt, candidates)
            if outcome != "stale":
                settled += 1
            log.info(
                "ambiguous send resolved: %s (%d candidates at the provider)",
                outcome,
                len(candidates),
                extra=context,
            )
        return settled
