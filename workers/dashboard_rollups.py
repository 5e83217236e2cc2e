"""Fold the dashboard's journals into its rollups every few seconds.

Sends, callbacks, check-ins and consent changes only append to journal tables (so they never
wait on the dashboard); `fold_dashboard_changes` moves those rows into the rollups the charts
read. The views are exact either way (they add what is not folded yet): folding only keeps them
fast. Every worker runs this; the SQL lets one folder in at a time (a transaction advisory
try-lock), so any number of workers is safe. On hosted Supabase pg_cron can call the same
function instead."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from supabase import AsyncClient

log = logging.getLogger(__name__)


class DashboardJournalStore(Protocol):
    async def fold(self) -> int:
        """Fold the journals; returns how many rollup rows changed (0 if another fold ran)."""


@dataclass
class SupabaseDashboardJournalStore:
    """`fold_dashboard_changes` through supabase-py as the service role."""

    client: AsyncClient

    async def fold(self) -> int:
        answer: Any = await self.client.rpc("fold_dashboard_changes", {}).execute()
        return int(answer.data)


@dataclass
class DashboardFolder:
    store: DashboardJournalStore
    interval_seconds: float = 3.0

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: a fold now, then one every interval. A failed fold (database away) is
        logged and tried again at the next interval; a fold is one transaction, so a failed one
        leaves the journals as they were."""
        while not stop.is_set():
            try:
                await self.store.fold()
            except Exception:
                log.exception(
                    "folding the dashboard journals failed; retrying in %.0f s",
                    self.interval_seconds,
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
