"""Resolve ambiguous sends: messages left in `sending` by a 5xx, a timeout, a dropped answer or
a worker that died mid-call. Twilio's Messages create has no idempotency key, so a blind retry
could text someone twice; instead we ask Twilio whether it has the text, then complete or retry.

Two rules keep the resolver from causing the duplicate it exists to prevent:
- the lookup is bounded by the attempt's sender and the time its request could have been created
  in, and the database never takes a provider id another message already holds, so an identical
  earlier text to the same number is not mistaken for this one;
- the settle is a compare-and-set on the attempt the list showed: if the message was settled and
  sent again meanwhile (by a status callback, another resolver, another worker), the database
  answers 'stale' and nothing changes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from workers.metrics import UNRESOLVED
from workers.ports import OutboxStore, SentLookup, SmsSender, UnresolvedSend

log = logging.getLogger(__name__)

# Email has no lookup by recipient in the SDK slice we use; its webhooks (tagged with our id)
# usually settle it first, so only a send this old is handed back for a retry.
EMAIL_GIVE_UP_SECONDS = 600

# Our database's clock and Twilio's may disagree by this much (both keep NTP time).
CLOCK_SKEW = timedelta(seconds=5)


def lookup_for(send: UnresolvedSend, request_timeout: timedelta) -> SentLookup:
    """The provider lookup of one attempt: created between its start and its request's timeout."""
    started = send.send_started_at or datetime.now(UTC)
    return SentLookup(
        to=send.to_address,
        body=send.body,
        from_number=send.from_number,
        messaging_service_sid=send.messaging_service_sid,
        since=started - CLOCK_SKEW,
        until=started + request_timeout + CLOCK_SKEW,
    )


class AmbiguousSendResolver:
    def __init__(
        self,
        store: OutboxStore,
        sms: SmsSender | None,
        older_than_seconds: int,
        request_timeout_seconds: float,
    ) -> None:
        self.store = store
        self.sms = sms
        self.older_than_seconds = older_than_seconds
        self.request_timeout = timedelta(seconds=request_timeout_seconds)

    async def resolve_once(self) -> int:
        """Settle every send older than the threshold; returns how many were settled."""
        unresolved = await self.store.list_unresolved(self.older_than_seconds)
        UNRESOLVED.set(len(unresolved))
        settled = 0
        now = datetime.now(UTC)
        for send in unresolved:
            context = {"message_id": send.id, "channel": send.channel, "attempt": send.attempt}
            if send.channel == "sms" and self.sms is not None:
                candidates = await self.sms.find_sent(lookup_for(send, self.request_timeout))
            elif (
                send.channel == "email"
                and (now - (send.send_started_at or now)).total_seconds() > EMAIL_GIVE_UP_SECONDS
            ):
                candidates = []
            else:
                continue
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
