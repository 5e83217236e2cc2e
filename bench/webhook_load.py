"""Webhook server under load: signed Twilio status callbacks at a fixed rate (open loop), then
latency percentiles and how many were lost (answered or not, every one must be stored).

Goal (issue 6): 500 req/s for 60 s, p99 < 100 ms, zero lost.
    .venv/bin/python bench/webhook_load.py            # 10 s at 500 req/s
    .venv/bin/python bench/webhook_load.py --full     # 60 s
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import signal
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psycopg

from hm.simulators.callbacks import twilio_signature
from hm.testing import free_port, private_stack
from workers.local import LocalMessaging


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def fire(url: str, token: str, rate: int, seconds: float) -> tuple[list[float], int, int]:
    """Send rate * seconds callbacks on a fixed schedule; returns latencies, errors, sent."""
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(limits=limits, timeout=15) as client:

        async def one(index: int) -> None:
            nonlocal errors
            params = {
                "MessageSid": "SM" + secrets.token_hex(16),
                "MessageStatus": "delivered",
                "AccountSid": "AC" + "0" * 32,
                "To": "+13055550100",
                "From": "+13055550000",
            }
            headers = {
                "X-Twilio-Signature": twilio_signature(token, url, params),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            started = time.perf_counter()
            try:
                response = await client.post(url, content=urlencode(params), headers=headers)
                if response.status_code != 204:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
                return
            latencies.append(time.perf_counter() - started)

        tasks = []
        start = time.perf_counter()
        for index in range(total):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
    return latencies, errors, total


def stored_events(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "select count(*) from public.webhook_events where provider = 'twilio'"
        ).fetchone()
        return int(row[0]) if row else 0


def stop_on_sigterm() -> None:
    """`timeout` and CI send SIGTERM: unwind normally so every started server is stopped."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--full", action="store_true", help="60 s, as the goal states")
    parser.add_argument(
        "--transport",
        choices=["rest", "postgres"],
        default="postgres",
        help="how the webhook server reaches the SQL functions",
    )
    args = parser.parse_args()
    seconds = 60.0 if args.full else args.seconds
    with private_stack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="hm-bench-webhook-"))
        messaging = LocalMessaging(
            stack.config.client_env(),
            folder / "run",
            folder / "logs",
            simulator_port=free_port(),
            webhook_port=free_port(),
            outbox_transport=args.transport,
        )
        try:
            messaging.start(worker_count=0)
            url = f"{messaging.webhook_url}/twilio/status"
            token = messaging.simulator_config.twilio_auth_token
            latencies, errors, sent = asyncio.run(fire(url, token, args.rate, seconds))
            time.sleep(1.0)
            stored = stored_events(stack.config.db_url())
        finally:
            messaging.stop()
            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"webhook load ({args.transport}): {sent} signed status callbacks at {args.rate} req/s "
        f"for {seconds:.0f} s"
    )
    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    print(f"  answered: {len(latencies)}  errors (non-204 or no answer): {errors}")
    print(
        f"  latency p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {max(latencies or [0]) * 1000:.1f} ms"
    )
    print(f"  stored: {stored}  lost: {sent - stored}")
    goal = percentile(latencies, 0.99) < 0.1 and stored == sent and errors == 0
    print(f"  goal (p99 < 100 ms, zero lost): {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
