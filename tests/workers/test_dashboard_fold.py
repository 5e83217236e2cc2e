"""The read side's fold loop over a fake store (the SQL it calls is covered by pgTAP
940-dashboard-rollups.sql and 974-event-counter-fold.sql), and once through the real stack as the
worker calls it: supabase-py, the service role, the folds' answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from supabase import AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from workers.dashboard_fold import DashboardFolder, Fold, SupabaseFoldStore


@dataclass
class FakeFolds:
    failures: int = 0
    folds: list[Fold] = field(default_factory=list)
    event_folds: int = 0

    async def fold_dashboard(self) -> Fold | None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        fold = Fold(days=1, blasts=0, ms=1.0)
        self.folds.append(fold)
        return fold

    async def fold_event_counts(self) -> int | None:
        self.event_folds += 1
        return 0


async def test_a_failed_fold_is_tried_again_at_the_next_interval() -> None:
    store = FakeFolds(failures=1)
    stop = asyncio.Event()
    task = asyncio.create_task(DashboardFolder(store, interval_seconds=0.01).run(stop))
    for _ in range(200):
        if store.folds:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task
    assert store.failures == 0
    assert store.folds
    # The event counters were folded on the tick whose dashboard fold failed too.
    assert store.event_folds > len(store.folds)


async def test_the_worker_folds_through_supabase_py(stack: LocalStack) -> None:
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        fold = await SupabaseFoldStore(client).fold_dashboard()
        event_rows = await SupabaseFoldStore(client).fold_event_counts()
    # None only while a worker of this session's stack is folding at the same moment.
    assert fold is None or (fold.days >= 0 and fold.blasts >= 0 and fold.ms >= 0)
    assert event_rows is None or event_rows >= 0
