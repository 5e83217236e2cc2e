"""The poll loop of the workers that claim leased rows (invitations, erasures, station pairings)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def poll_until_stopped(
    stop: asyncio.Event, run_once: Callable[[], Awaitable[int]], poll_interval: float, name: str
) -> None:
    """Call `run_once` every `poll_interval` seconds until `stop` is set. A failing claim is
    logged and tried again next time: the rows' leases bring back whatever it had claimed."""
    while not stop.is_set():
        try:
            await run_once()
        except Exception:
            log.exception("%s: claiming failed; retrying after the poll interval", name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), poll_interval)
