"""Realtime only wakes the loop: a change to the outbox sets an asyncio.Event. It guarantees
nothing (events can be lost while disconnected), so the loop also polls; a (re)connection
wakes the loop too, to catch up on anything missed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from realtime.types import RealtimePostgresChangesListenEvent, RealtimeSubscribeStates
from supabase import AsyncClient

from workers.metrics import REALTIME_CONNECTED

log = logging.getLogger(__name__)

# Only new 1:1, transactional and automation messages wake the loop (one-time codes and replies
# should leave at once). Blast traffic is left to polling: every blast message changes rows of
# messages and blasts several times, and decoding those events cost a busy worker more CPU than
# the wake-ups were worth; a running blast keeps the loop claiming every 50 ms anyway, and a
# started or resumed blast is picked up within one poll interval.
WAKE_FILTER = "kind=neq.blast"


class RealtimeWake:
    def __init__(self, client: AsyncClient, wake: asyncio.Event, retry_seconds: float = 10.0):
        self.client = client
        self.wake = wake
        self.retry_seconds = retry_seconds
        self.joined = False

    def _changed(self, _payload: Any) -> None:
        self.wake.set()

    def _status(self, status: RealtimeSubscribeStates, error: Exception | None) -> None:
        self.joined = status == RealtimeSubscribeStates.SUBSCRIBED
        REALTIME_CONNECTED.set(1 if self.joined else 0)
        if self.joined:
            self.wake.set()  # (re)joined: catch up on anything missed meanwhile
        elif error is not None:
            log.warning("realtime channel %s: %s", status.value, error)

    async def run(self, stop: asyncio.Event) -> None:
        """Keep one channel joined until `stop`; while it is not, rejoin every `retry_seconds`."""
        while not stop.is_set():
            if not self.joined:
                await self._join()
            await _wait(stop, self.retry_seconds)
        await self.client.remove_all_channels()

    async def _join(self) -> None:
        try:
            await self.client.remove_all_channels()
            channel = self.client.channel("hm-outbox")
            channel.on_postgres_changes(
                RealtimePostgresChangesListenEvent.Insert,
                schema="public",
                table="messages",
                filter=WAKE_FILTER,
                callback=self._changed,
            )
            await channel.subscribe(self._status)
        except Exception as error:  # any failure: the loop keeps polling; retried later
            self.joined = False
            REALTIME_CONNECTED.set(0)
            log.warning("realtime unavailable, polling only: %s", error)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return
