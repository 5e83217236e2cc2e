"""The import runner over a fake store: it runs each running import to its end, keeps going
after a failed pass, and stops between chunks when asked."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from workers.import_runner import ImportRunner


@dataclass
class FakeImports:
    pending: dict[str, int]
    failures: int = 0
    calls: list[tuple[str, int]] = field(default_factory=list)

    async def running_imports(self) -> list[str]:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        return [key for key, rows in self.pending.items() if rows > 0]

    async def run_chunk(self, import_id: str, size: int) -> int:
        self.calls.append((import_id, size))
        self.pending[import_id] = max(0, self.pending[import_id] - size)
        return self.pending[import_id]


async def test_each_running_import_is_run_to_its_end() -> None:
    store = FakeImports({"a": 1200, "b": 0, "c": 10})
    chunks = await ImportRunner(store, chunk_size=500).run_once(asyncio.Event())
    assert chunks == 4
    assert store.calls == [("a", 500), ("a", 500), ("a", 500), ("c", 500)]
    assert store.pending == {"a": 0, "b": 0, "c": 0}


async def test_a_failed_pass_is_retried_at_the_next_interval() -> None:
    store = FakeImports({"a": 10}, failures=1)
    stop = asyncio.Event()
    runner = ImportRunner(store, interval_seconds=0.01)
    task = asyncio.create_task(runner.run(stop))
    for _ in range(200):
        if store.pending["a"] == 0:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await task
    assert store.pending["a"] == 0


async def test_stop_is_honoured_between_chunks() -> None:
    store = FakeImports({"a": 5000})
    stop = asyncio.Event()
    stop.set()
    assert await ImportRunner(store).run_once(stop) == 0
    assert store.calls == []
