"""Choose A/B winners when they are due: every minute, `decide_blast_winners` scores each A/B
blast whose decision time has passed and sends the winning variant to the recipients held back
for it. The SQL locks each due test (`for update skip locked`) and marks it decided in the same
transaction, so any number of workers may call it and each winner is chosen exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from supabase import AsyncClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WinnerDecision:
    blast_id: str
    winners: dict[str, str]
    released: int
    reason: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WinnerDecision:
        return cls(
            blast_id=str(row["blast_id"]),
            winners={str(k): str(v) for k, v in (row.get("winners") or {}).items()},
            released=int(row.get("released_recipients") or 0),
            reason=str(row.get("reason") or ""),
        )


class WinnerStore(Protocol):
    async def decide_blast_winners(self) -> list[WinnerDecision]:
        """Decide every due A/B test; returns the decisions taken by this call."""


@dataclass
class SupabaseWinnerStore:
    """`decide_blast_winners` through supabase-py as the service role."""

    client: AsyncClient

    async def decide_blast_winners(self) -> list[WinnerDecision]:
        answer: Any = await self.client.rpc("decide_blast_winners", {}).execute()
        return [WinnerDecision.from_row(row) for row in answer.data or []]


@dataclass
class WinnerRunner:
    store: WinnerStore
    interval_seconds: float = 60.0

    async def run_once(self) -> list[WinnerDecision]:
        decisions = await self.store.decide_blast_winners()
        for decision in decisions:
            log.info(
                "A/B winner chosen: %s; %d recipients released",
                decision.reason,
                decision.released,
                extra={"blast_id": decision.blast_id, "winners": decision.winners},
            )
        return decisions

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: a call now, then one every interval. A failed call (database away) is
        logged and tried again at the next interval: a decision is one transaction."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception(
                    "choosing A/B winners failed; retrying in %.0f s", self.interval_seconds
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
