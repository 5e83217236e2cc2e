"""The read side's folds, every few seconds:
- `fold_dashboard` recomputes the per-day and per-blast counts for whatever changed since its
  watermark (migration 20261128010000_dashboard_rollups);
- `fold_event_counts` folds each event's per-backend RSVP and check-in counter rows into one
  (20261129080000_event_counter_fold), so an event does not keep a row per connection.
An advisory lock lets one caller of each in at a time, so every worker may run this loop; the
others' calls return at once. The views and counts are exact without folding; it only keeps
what they add up small."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from supabase import AsyncClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fold:
    days: int
    blasts: int
    ms: float

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> Fold:
        return cls(days=int(answer["days"]), blasts=int(answer["blasts"]), ms=float(answer["ms"]))


class FoldStore(Protocol):
    async def fold_dashboard(self) -> Fold | None:
        """Fold what changed; None when another caller is folding."""

    async def fold_event_counts(self) -> int | None:
        """Fold the event counter rows nobody holds; the rows folded, None when another caller
        is folding."""


@dataclass
class SupabaseFoldStore:
    """`fold_dashboard` through supabase-py as the service role."""

    client: AsyncClient

    async def fold_dashboard(self) -> Fold | None:
        answer: Any = await self.client.rpc("fold_dashboard", {}).execute()
        return Fold.from_answer(answer.data) if answer.data else None

    async def fold_event_counts(self) -> int | None:
        answer: Any = await self.client.rpc("fold_event_counts", {}).execute()
        return None if answer.data is None else int(answer.data)


@dataclass
class DashboardFolder:
    store: FoldStore
    interval_seconds: float = 10.0

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: the folds now, then every interval. A failed fold (database away) is
        logged and tried again at the next interval: each fold is one transaction, and one
        failing does not hold up the other."""
        while not stop.is_set():
            try:
                fold = await self.store.fold_dashboard()
                if fold is not None:
                    log.debug("dashboard folded", extra={"fold": fold})
            except Exception:
                log.exception(
                    "folding the dashboard failed; retrying in %.0f s", self.interval_seconds
                )
            try:
                rows = await self.store.fold_event_counts()
                if rows:
                    log.debug("event counters folded", extra={"rows": rows})
            except Exception:
                log.exception(
                    "folding the event counters failed; retrying in %.0f s", self.interval_seconds
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
