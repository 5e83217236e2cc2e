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

WATCHED_TABLES = ("messages", "blasts", "blast_recipients")


class RealtimeWake:
    def __init__(self, client: AsyncClient, wake: asyncio.Event, retry_seconds: float = 10.0):
        self.client = client
        self.wake = wake
        self.retry_seconds = retry_seconds

    def _changed(self, _payload: Any) -> None:
        self.wake.set()

    def _status(self, status: RealtimeSubscribeStates, error: Exception | None) -> None:
        joined = status == RealtimeSubscribeStates.SUBSCRIBED
        REALTIME_CONNECTED.set(1 if joined else 0)
        if joined:
            self.wake.set()
        elif error is not None:
            log.warning("realtime channel: %s (%s)", status, error)

    async def run(self, stop: asyncio.Event) -> None:
        """Keep one channel subscribed until `stop`; retry when it cannot be joined."""
        while not stop.is_set():
            try:
                channel = self.client.channel("hm-outbox")
                for table in WATCHED_TABLES:
                    channel.on_postgres_changes(
                        RealtimePostgresChangesListenEvent.All,
                        schema="public",
                        table=table,
                        callback=self._changed,
                    )
                await channel.subscribe(self._status)
            except Exception as error:  # any failure: log, fall back to polling, retry later
                REALTIME_CONNECTED.set(0)
                log.warning("realtime unavailable, polling only: %s", error)
                await _wait(stop, self.retry_seconds)
                continue
            await stop.wait()
            await self.client.remove_all_channels()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return
