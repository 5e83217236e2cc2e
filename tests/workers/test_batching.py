"""Batcher: concurrent calls share one batch call; a failing batch fails only its bad item."""

from __future__ import annotations

import asyncio

from workers.batching import Batcher


async def test_batcher_groups_concurrent_items_and_answers_each_in_order() -> None:
    batches: list[list[int]] = []

    async def double(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0)
        return [item * 2 for item in items]

    batcher: Batcher[int, int] = Batcher(double, flushers=1)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(10)))
    assert results == [n * 2 for n in range(10)]
    assert len(batches) < 10
    assert sorted(item for batch in batches for item in batch) == list(range(10))


async def test_a_failing_batch_is_retried_item_by_item_so_only_the_bad_item_fails() -> None:
    async def refuse_seven(items: list[int]) -> list[int]:
        if 7 in items:
            raise ValueError("seven")
        return items

    batcher: Batcher[int, int] = Batcher(refuse_seven, flushers=1)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(10)), return_exceptions=True)
    assert [r for r in results if isinstance(r, ValueError)] == [results[7]]
    assert [r for n, r in enumerate(results) if n != 7] == [n for n in range(10) if n != 7]
    await batcher.drain()
