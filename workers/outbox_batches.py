"""The per-message outbox calls a delivery makes, grouped into batch calls.

A busy worker has dozens of deliveries in flight; each one marking itself `sending` and then
recording its provider id was two database round trips and two commits per message, which
capped one worker far below the provider's pace. Concurrent calls now share one statement
(see `Batcher`); a delivery still awaits its own answer, so nothing is sent before its mark is
committed and a delivery is not finished before its result is."""

from __future__ import annotations

from workers.batching import Batcher
from workers.ports import OutboxStore, SentResult

# A recording batch holds its messages' row locks until it commits; a status callback about
# one of them waits that long, so batches stay modest.
MAX_BATCH = 100


class BatchedOutbox:
    def __init__(self, store: OutboxStore, worker_id: str) -> None:
        self.store = store
        self.worker_id = worker_id
        self.marking: Batcher[str, bool] = Batcher(
            self._mark_batch, flushers=2, max_batch=MAX_BATCH
        )
        self.recording: Batcher[SentResult, None] = Batcher(
            self._record_batch, flushers=2, max_batch=MAX_BATCH
        )

    async def mark_sending(self, message_id: str) -> bool:
        """True: go ahead with the provider call (the message is now "possibly sent")."""
        return await self.marking.submit(message_id)

    async def record_sent(self, message_id: str, provider_id: str, provider_status: str) -> None:
        await self.recording.submit(SentResult(message_id, provider_id, provider_status))

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None:
        # Rare next to successes: one call each keeps the error paths simple.
        await self.store.record_failed(message_id, code, detail, retry_after_seconds)

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        # Already one call per batch of marketing email.
        return await self.store.unsubscribe_tokens(message_ids)

    async def _mark_batch(self, message_ids: list[str]) -> list[bool]:
        sendable = await self.store.mark_sending(message_ids, self.worker_id)
        return [message_id in sendable for message_id in message_ids]

    async def _record_batch(self, results: list[SentResult]) -> list[None]:
        await self.store.record_sent(results)
        return [None] * len(results)
