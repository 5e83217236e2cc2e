"""Resolve ambiguous sends: messages left in `sending` by a 5xx, a timeout, a dropped answer or
a worker that died mid-call. Twilio's Messages create has no idempotency key, so a blind retry
could text someone twice; instead we ask Twilio whether it has the text, then complete or retry."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from workers.metrics import UNRESOLVED
from workers.ports import OutboxStore, SmsSender

log = logging.getLogger(__name__)

# Email has no lookup by recipient in the SDK slice we use; its webhooks (tagged with our id)
# usually settle it first, so only a send this old is handed back for a retry.
EMAIL_GIVE_UP_SECONDS = 600


class AmbiguousSendResolver:
    def __init__(self, store: OutboxStore, sms: SmsSender | None, older_than_seconds: int) -> None:
        self.store = store
        self.sms = sms
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
            if send.channel == "sms" and self.sms is not None:
                provider_id = await self.sms.find_sent(send.to_address, send.body, since)
            elif send.channel == "email" and (now - since).total_seconds() > EMAIL_GIVE_UP_SECONDS:
                provider_id = None
            else:
                continue
            await self.store.resolve_unresolved(send.id, provider_id)
            settled += 1
            outcome = f"found {provider_id}" if provider_id else "not at the provider: retried"
            log.info("ambiguous send resolved: %s", outcome, extra=context)
        return settled
