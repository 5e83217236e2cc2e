"""Achieved SMS send rate against the configured MPS, and the most one worker process can send.

For each configured rate (1, 10, 100 segments/s) a blast big enough never to run dry goes out
through two worker processes against the provider simulator; the simulator's record of created
texts gives the achieved rate over the measuring window and the worst 10 s window (the SQL
token bucket must keep it at or under 10 * MPS + 1 s of burst). Then one worker against a sender
with no practical limit gives the highest rate one process reaches (goal ≥ 500 msg/s).

    .venv/bin/python bench/send_rate.py           # 20 s windows
    .venv/bin/python bench/send_rate.py --full    # 60 s windows, as the goal states
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import psycopg
from benchkit import stop_on_sigterm

from devstack.local_messaging import LocalMessaging
from devstack.simulators import scenario
from devstack.simulators.config import SimulatorConfig
from devstack.testing import free_port, private_stack

WARM_UP_SECONDS = 3.0


def send_times(simulator_url: str, from_number: str) -> list[float]:
    records = httpx.get(f"{simulator_url}/_sim/sms", timeout=60).json()
    return sorted(
        datetime.fromisoformat(r["created_at"]).timestamp()
        for r in records
        if r["from_"] == from_number
    )


def worst_window(times: list[float], width: float) -> int:
    """The most sends inside any `width`-second window."""
    worst, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= width:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


def measure_rate(
    messaging: LocalMessaging,
    conn: psycopg.Connection[tuple[object, ...]],
    mps: float,
    window: float,
) -> None:
    sender_id, number = scenario.create_sms_sender(conn, mps=mps)
    contacts = scenario.create_contacts(conn, math.ceil(mps * (window + WARM_UP_SECONDS + 5)) + 10)
    blast_id = scenario.create_blast(
        conn, channel="sms", contacts=contacts, sms_sender_id=sender_id, body="Rate check"
    )
    scenario.start_blast(conn, blast_id)
    time.sleep(WARM_UP_SECONDS + window + 1)
    conn.execute("select public.cancel_blast(%s)", (blast_id,))
    times = send_times(messaging.simulator.url, number)
    if not times:
        print(f"  {mps:>6g} MPS: nothing sent")
        return
    begin = times[0] + WARM_UP_SECONDS
    in_window = [t for t in times if begin <= t < begin + window]
    achieved = len(in_window) / window
    worst = worst_window(times, 10.0)
    limit = mps * 10 + mps
    print(
        f"  {mps:>6g} MPS: achieved {achieved:8.2f}/s over {window:.0f} s "
        f"({achieved / mps * 100:5.1f}% of configured; goal ≥ 98%)   "
        f"worst 10 s window {worst} (limit {limit:g}: {'ok' if worst <= limit else 'OVER'})"
    )


def measure_max(
    messaging: LocalMessaging, conn: psycopg.Connection[tuple[object, ...]], count: int
) -> None:
    sender_id, number = scenario.create_sms_sender(conn, mps=100_000)
    contacts = scenario.create_contacts(conn, count)
    blast_id = scenario.create_blast(
        conn, channel="sms", contacts=contacts, sms_sender_id=sender_id, body="Max check"
    )
    scenario.start_blast(conn, blast_id)
    deadline = time.monotonic() + 120
    times: list[float] = []
    while time.monotonic() < deadline:
        time.sleep(1.0)
        times = send_times(messaging.simulator.url, number)
        if len(times) >= count:
            break
    if len(times) < 2:
        print("  max rate: nothing sent")
        return
    rate = len(times) / (times[-1] - times[0])
    print(
        f"  one worker, unthrottled sender: {len(times)} texts at {rate:.0f} msg/s "
        f"(goal ≥ 500: {'met' if rate >= 500 else 'NOT met'})"
    )


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="60 s windows")
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument(
        "--rates", default="1,10,100", help="comma-separated MPS values; empty = max-rate only"
    )
    parser.add_argument("--max-count", type=int, default=3000)
    parser.add_argument(
        "--transport",
        choices=["rest", "postgres"],
        default="postgres",
        help="how the workers reach the SQL functions",
    )
    args = parser.parse_args()
    window = 60.0 if args.full else args.window
    # Callbacks off: this measures our pacing and throughput, not the webhook server.
    sim_config = SimulatorConfig(send_sms_callbacks=False, send_email_webhooks=False)
    with private_stack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="hm-bench-send-"))
        messaging = LocalMessaging(
            stack.config.client_env(),
            folder / "run",
            folder / "logs",
            simulator_port=free_port(),
            webhook_port=free_port(),
            simulator_config=sim_config,
            outbox_transport=args.transport,
        )
        try:
            with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
                messaging.start(worker_count=0)
                for name in ("rate-1", "rate-2"):
                    messaging.start_worker(name, WORKER_CHANNELS="sms")
                print(
                    f"send rate vs configured MPS (2 workers, {args.transport} transport, "
                    f"{window:.0f} s windows):"
                )
                for mps in (float(r) for r in args.rates.split(",") if r.strip()):
                    measure_rate(messaging, conn, mps, window)
                for name in ("rate-1", "rate-2"):
                    messaging.workers[name].stop()
                messaging.start_worker(
                    "max-1",
                    WORKER_CHANNELS="sms",
                    WORKER_CONCURRENCY="200",
                    WORKER_BATCH_SIZE="200",
                )
                measure_max(messaging, conn, args.max_count)
        finally:
            messaging.stop()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
