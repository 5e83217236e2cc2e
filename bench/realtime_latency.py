"""Realtime delivery latency: commit → postgres_changes push, for 100 subscribed WebSocket clients.

Starts a private stack, creates a table with RLS in the supabase_realtime publication, connects
SUBSCRIBERS Phoenix clients (vsn 1.0.0 frames, as supabase-py sends them; all signed in as the
same user, so each change costs one RLS check), commits CHANGES inserts one at a time, and for
each subscriber measures the time from just before the INSERT's autocommit to the moment the
push is read off its socket. Goal (issue 3): p95 < 200 ms.

    .venv/bin/python bench/realtime_latency.py                  # 100 subscribers, 200 changes
    .venv/bin/python bench/realtime_latency.py --changes 1000 --interval 0.02
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import time
import uuid

import psycopg
import websockets
from benchkit import percentile, stop_on_sigterm

from devstack.stack import keys
from devstack.testing import private_stack

TABLE_SQL = """
create table public.bench_jobs (
  id bigint primary key,
  device_id uuid not null,
  owner uuid not null,
  body text not null
);
grant select on public.bench_jobs to authenticated;
alter table public.bench_jobs enable row level security;
create policy "Owners can read their jobs" on public.bench_jobs
  for select to authenticated using (owner = (select auth.uid()));
create index on public.bench_jobs (owner);
alter publication supabase_realtime add table public.bench_jobs;
"""


async def subscriber(
    url: str, token: str, device: str, received: Received, ready: asyncio.Event
) -> None:
    async with websockets.connect(url, max_queue=None) as socket:
        binding = {
            "event": "INSERT",
            "schema": "public",
            "table": "bench_jobs",
            "filter": f"device_id=eq.{device}",
        }
        join = {
            "topic": "realtime:bench",
            "event": "phx_join",
            "ref": "1",
            "join_ref": "1",
            "payload": {"config": {"postgres_changes": [binding]}, "access_token": token},
        }
        await socket.send(json.dumps(join))
        async for frame in socket:
            message = json.loads(frame)
            if message["event"] == "system":
                ready.set()
            elif message["event"] == "postgres_changes":
                received.add(message["payload"]["data"]["record"]["id"], time.time())


class Received:
    """Arrival times per row id; `complete` is set once every expected push arrived."""

    def __init__(self, expected: int) -> None:
        self.times: dict[int, list[float]] = {}
        self.count = 0
        self.expected = expected
        self.complete = asyncio.Event()

    def add(self, row_id: int, at: float) -> None:
        self.times.setdefault(row_id, []).append(at)
        self.count += 1
        if self.count >= self.expected:
            self.complete.set()


async def run(subscribers: int, changes: int, interval: float) -> None:
    with private_stack() as stack:
        with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
            conn.execute(TABLE_SQL)
        owner, device = str(uuid.uuid4()), str(uuid.uuid4())
        token = keys.access_token(stack.config.jwt_secret, sub=owner)
        url = (
            f"ws://127.0.0.1:{stack.config.api_port}/realtime/v1/websocket"
            f"?apikey={stack.config.anon_key}&vsn=1.0.0"
        )
        received = Received(changes * subscribers)
        all_delivered = received.complete
        readies = [asyncio.Event() for _ in range(subscribers)]
        tasks = [
            asyncio.create_task(subscriber(url, token, device, received, ready))
            for ready in readies
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        print(f"{subscribers} subscribers joined; committing {changes} changes")

        committed: dict[int, float] = {}
        # An async connection, so committing never stalls the subscribers' reads.
        async with await psycopg.AsyncConnection.connect(
            stack.config.db_url(), autocommit=True
        ) as conn:
            for row_id in range(1, changes + 1):
                committed[row_id] = time.time()
                await conn.execute(
                    "insert into public.bench_jobs (id, device_id, owner, body)"
                    " values (%s, %s, %s, 'label')",
                    (row_id, device, owner),
                )
                await asyncio.sleep(interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_delivered.wait(), 10)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    latencies = [
        (at - committed[row_id]) * 1000 for row_id, times in received.times.items() for at in times
    ]
    expected = changes * subscribers
    print(f"deliveries: {len(latencies)} of {expected} ({expected - len(latencies)} missing)")
    if latencies:
        print(
            f"latency ms: p50 {percentile(latencies, 0.50):.1f}"
            f"  p95 {percentile(latencies, 0.95):.1f}"
            f"  p99 {percentile(latencies, 0.99):.1f}"
            f"  max {max(latencies):.1f}"
            f"  mean {statistics.fmean(latencies):.1f}"
        )


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between commits")
    args = parser.parse_args()
    asyncio.run(run(args.subscribers, args.changes, args.interval))


if __name__ == "__main__":
    main()
