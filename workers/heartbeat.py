"""Heartbeats: every long-running process (a worker, the automations runner inside it, the
webhook server) records every few seconds that it is alive, with its version, when it last
claimed work and how many sends it has in flight (`public.record_process_heartbeat`). Admins read
them in the health page; a process that misses three beats reads as stale there.

A clean exit records the process stopped (`record_process_stopped`), so only a process that died
or hangs is shown as a problem. A failed beat (database away) is logged and tried again at the
next interval: health reporting never stops the work it reports on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from typing import Literal, Protocol

from supabase import AsyncClient

log = logging.getLogger(__name__)

ProcessKind = Literal["worker", "webhook_server", "automations"]
DEFAULT_INTERVAL_SECONDS = 15


def running_version() -> str:
    """The installed project's version, as the health page shows it."""
    return version("hello-miami")


@dataclass(frozen=True)
class ProcessStatus:
    """What a process reports besides being alive."""

    last_claim_at: datetime | None = None
    in_flight: int = 0


def idle() -> ProcessStatus:
    """The status of a process that claims nothing (the webhook server)."""
    return ProcessStatus()


@dataclass(frozen=True)
class Beat:
    process_id: str
    kind: ProcessKind
    version: str
    interval_seconds: int
    status: ProcessStatus


class HeartbeatStore(Protocol):
    async def beat(self, beat: Beat) -> None: ...

    async def stopped(self, process_id: str) -> None: ...


class SupabaseHeartbeatStore:
    """The heartbeat functions through PostgREST RPC with the service-role client."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def beat(self, beat: Beat) -> None:
        last_claim = beat.status.last_claim_at
        await self.client.rpc(
            "record_process_heartbeat",
            {
                "p_process_id": beat.process_id,
                "p_kind": beat.kind,
                "p_version": beat.version,
                "p_interval_seconds": beat.interval_seconds,
                "p_last_claim_at": last_claim.isoformat() if last_claim else None,
                "p_in_flight": beat.status.in_flight,
            },
        ).execute()

    async def stopped(self, process_id: str) -> None:
        await self.client.rpc("record_process_stopped", {"p_process_id": process_id}).execute()


@dataclass
class Heartbeat:
    """Beats for one process until `stop`; `status` is read fresh at every beat."""

    store: HeartbeatStore
    process_id: str
    kind: ProcessKind
    status: Callable[[], ProcessStatus] = idle
    interval_seconds: int = DEFAULT_INTERVAL_SECONDS

    def __post_init__(self) -> None:
        self.version = running_version()

    async def beat_once(self) -> None:
        await self.store.beat(
            Beat(self.process_id, self.kind, self.version, self.interval_seconds, self.status())
        )

    async def run(self, stop: asyncio.Event) -> None:
        """A beat now, then one every interval; once `stop` is set, record the clean exit.
        Cancelled instead (the process is dying), it records nothing: the row goes stale."""
        while not stop.is_set():
            try:
                await self.beat_once()
            except Exception:
                log.exception("heartbeat failed; retrying in %d s", self.interval_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
        try:
            await self.store.stopped(self.process_id)
        except Exception:
            log.exception("recording the clean stop failed; the process will read as stale")
