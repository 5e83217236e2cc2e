"""The worker loop: it only orchestrates. Wait for "woken", "poll interval elapsed" or "stop";
claim through SQL; hand each claimed message to its delivery, at most `concurrency` at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from workers.metrics import CLAIMED, IN_FLIGHT, QUEUE_DEPTH
from workers.ports import Channel, OutboxStore
from workers.resolution import AmbiguousSendResolver

log = logging.getLogger(__name__)

# While a blast is flowing, claim this often: the SQL token bucket hands out only what the
# sender's rate allows right now, so short waits keep the achieved rate at the configured one.
BUSY_INTERVAL = 0.05
BUSY_FOR_SECONDS = 5.0
RESOLVE_EVERY_SECONDS = 5.0


@dataclass
class LoopSettings:
    worker_id: str
    channels: tuple[str, ...]
    batch_size: int = 50
    lease_seconds: int = 30
    poll_interval: float = 2.0
    concurrency: int = 32
    # Shifts the clock the claim sees (quiet hours, pacing): tests and drills only.
    clock_offset_seconds: float = 0.0


@dataclass
class WorkerLoop:
    settings: LoopSettings
    store: OutboxStore
    # The channels this worker claims (LoopSettings.channels), by name.
    channels: Mapping[str, Channel]
    resolver: AmbiguousSendResolver
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        # Deliveries in flight; a claim takes no more than the free places, so a claimed
        # message never waits in memory while its lease runs out.
        self.tasks: set[asyncio.Task[None]] = set()
        # When a claim last returned messages (the health page's "last claim").
        self.last_claim_at: datetime | None = None

    async def run(self) -> None:
        """Until `stop`: catch up at once, then claim whenever woken or every poll interval."""
        loop = asyncio.get_running_loop()
        busy_until = 0.0
        next_resolve = 0.0
        log.info(
            "worker %s started (%s)", self.settings.worker_id, ",".join(self.settings.channels)
        )
        while not self.stop.is_set():
            self.wake.clear()
            if loop.time() >= next_resolve:
                await self._resolve()
                next_resolve = loop.time() + RESOLVE_EVERY_SECONDS
            claimed = 0
            for channel in self.settings.channels:
                claimed += await self._claim_and_dispatch(channel)
            if claimed:
                busy_until = loop.time() + BUSY_FOR_SECONDS
            timeout = BUSY_INTERVAL if loop.time() < busy_until else self.settings.poll_interval
            await self._wait(timeout)
        await self.drain()

    async def drain(self) -> None:
        """Let in-flight sends finish recording (a stop never abandons a provider call)."""
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _wait(self, seconds: float) -> None:
        waiters = [asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(self.stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter

    async def _resolve(self) -> None:
        try:
            await self.resolver.resolve_once()
            for channel in self.settings.channels:
                QUEUE_DEPTH.labels(channel).set(await self.store.queue_depth(channel))
        except Exception:  # logged and retried on the next round; the loop must keep sending
            log.exception("resolving ambiguous sends failed")

    async def _claim_and_dispatch(self, channel: str) -> int:
        delivery = self.channels.get(channel)
        if delivery is None:
            return 0
        limit = min(self.settings.batch_size, self.settings.concurrency - len(self.tasks))
        if limit <= 0:
            return 0
        try:
            offset = self.settings.clock_offset_seconds
            now = datetime.now(UTC) + timedelta(seconds=offset) if offset else None
            messages = await self.store.claim(
                self.settings.worker_id, channel, limit, self.settings.lease_seconds, now
            )
        except Exception:  # the database may be briefly unreachable: log, retry next round
            log.exception("claim failed", extra={"channel": channel})
            return 0
        if not messages:
            return 0
        self.last_claim_at = datetime.now(UTC)
        CLAIMED.labels(channel).inc(len(messages))
        for work in delivery.deliveries(messages):
            self._spawn(channel, work)
        return len(messages)

    def _spawn(self, channel: str, work: Coroutine[Any, Any, None]) -> None:
        async def guarded() -> None:
            IN_FLIGHT.labels(channel).inc()
            try:
                await work
            except Exception:  # logged; the message stays claimed and its lease expiry frees it
                log.exception("delivery failed", extra={"channel": channel})
            finally:
                IN_FLIGHT.labels(channel).dec()

        task = asyncio.get_running_loop().create_task(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
