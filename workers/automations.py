"""Run due automations every minute. Every worker runs this; `run_due_automations` lets one
runner in at a time (a transaction advisory lock), so any number of workers is safe and a dead
one is simply replaced by the next caller. On hosted Supabase pg_cron can call the same function
instead (docs/deploy.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from workers.ports import AutomationStore

log = logging.getLogger(__name__)


@dataclass
class AutomationRunner:
    store: AutomationStore
    interval_seconds: float = 60.0
    # When the last call succeeded (the health page's "last claim" for the runner).
    last_run_at: datetime | None = None

    async def run_once(self) -> int:
        """One call; logs what each automation did and returns how many runs were logged."""
        runs = await self.store.run_due_automations()
        self.last_run_at = datetime.now(UTC)
        for run in runs:
            context = {"automation_id": run.automation_id, "occasion": run.occasion}
            if run.status == "failed":
                log.error("automation failed: %s", run.error, extra=context)
            else:
                log.info(
                    "automation ran: %d acted on, %d skipped",
                    run.enqueued,
                    run.skipped,
                    extra=context,
                )
        return len(runs)

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: a call now, then one every interval. A failed call (database away) is
        logged and tried again at the next interval; the SQL makes every call idempotent."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception(
                    "running due automations failed; retrying in %.0f s", self.interval_seconds
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
