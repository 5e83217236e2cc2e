"""The dashboard folder over a fake store: it folds at once and then every interval, keeps
going after a failed fold (logged), and stops when asked."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import pytest

from workers.dashboard_rollups import DashboardFolder


@dataclass
class FakeJournals:
    failures: int = 0
    folds: int = 0

    async def fold(self) -> int:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        self.folds += 1
        return 3


async def run_until(folder: DashboardFolder, store: FakeJournals, folds: int) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(folder.run(stop))
    for _ in range(300):
        if store.folds >= folds:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task


async def test_folds_at_once_and_then_every_interval() -> None:
    store = FakeJournals()
    await run_until(DashboardFolder(store, interval_seconds=0.01), store, 3)
    assert store.folds >= 3


async def test_a_failed_fold_is_logged_and_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    store = FakeJournals(failures=2)
    with caplog.at_level(logging.ERROR, logger="workers.dashboard_rollups"):
        await run_until(DashboardFolder(store, interval_seconds=0.01), store, 1)
    assert store.folds >= 1
    assert [r.message for r in caplog.records].count(
        "folding the dashboard journals failed; retrying in 0 s"
    ) == 2


async def test_stop_before_the_first_interval_ends_the_loop() -> None:
    store = FakeJournals()
    stop = asyncio.Event()
    stop.set()
    await DashboardFolder(store, interval_seconds=60).run(stop)
    assert store.folds == 0
