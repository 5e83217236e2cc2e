"""Group concurrent database calls into one statement. Under a burst of webhooks or a busy
worker's deliveries, one round trip for many items costs the process and Postgres far less than
one per item; when traffic is light a batch is a single item and nothing waits for company."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Batcher(Generic[Item, Result]):
    """`submit` queues an item and resolves with its result. Up to `flushers` tasks each take
    everything queued (at most `max_batch`) and call `run_batch` once; they exist only while
    there is work, so the batcher needs no startup and works in any running event loop.

    A failing batch is retried one item at a time: one bad item fails alone, not its
    neighbours (the batch statement is all-or-nothing, so the retry starts from nothing)."""

    def __init__(
        self,
        run_batch: Callable[[list[Item]], Awaitable[list[Result]]],
        *,
        flushers: int = 3,
        max_batch: int = 100,
    ) -> None:
        self.run_batch = run_batch
        self.flushers = flushers
        self.max_batch = max_batch
        self.pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self.running: set[asyncio.Task[None]] = set()

    def submit(self, item: Item) -> asyncio.Future[Result]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self.pending.append((item, future))
        if len(self.running) < self.flushers:
            task = loop.create_task(self._flush())
            self.running.add(task)
            task.add_done_callback(self.running.discard)
        return future

    async def _flush(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending[: self.max_batch], self.pending[self.max_batch :]
                await self._run([item for item, _ in batch], [future for _, future in batch])
        finally:
            # Leave `running` in the same step that saw `pending` empty: a done callback would
            # run later, and an item submitted in between would find no flusher starting.
            task = asyncio.current_task()
            if task is not None:
                self.running.discard(task)

    async def _run(self, items: list[Item], futures: list[asyncio.Future[Result]]) -> None:
        try:
            results = await self.run_batch(items)
        except Exception as error:
            if len(items) > 1:
                for item, future in zip(items, futures, strict=True):
                    await self._run([item], [future])
                return
            if not futures[0].done():
                futures[0].set_exception(error)
            return
        for future, result in zip(futures, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def drain(self) -> None:
        """Wait for everything submitted so far (shutdown)."""
        while self.running:
            await asyncio.gather(*self.running, return_exceptions=True)
