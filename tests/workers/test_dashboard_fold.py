"""The dashboard fold loop over a fake store (the SQL it calls is covered by pgTAP
910-dashboard-rollups.sql), and once through the real stack as the worker calls it: supabase-py,
the service role, the fold's answer."""

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

    async def fold_dashboard(self) -> Fold | None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        fold = Fold(days=1, blasts=0, ms=1.0)
        self.folds.append(fold)
        return fold


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


async def test_the_worker_folds_through_supabase_py(stack: LocalStack) -> None:
    async with httpx.AsyncClient() as http:
        options = AsyncClientOptions(
            httpx_client=http, auto_refresh_token=False, persist_session=False
        )
        client = await acreate_client(stack.config.api_url, stack.config.service_role_key, options)
        fold = await SupabaseFoldStore(client).fold_dashboard()
    # None only while a worker of this session's stack is folding at the same moment.
    assert fold is None or (fold.days >= 0 and fold.blasts >= 0 and fold.ms >= 0)
