"""Name-tag latency: the volunteer's check-in call → the tag printed by CUPS and recorded.

Starts a private stack and a private cupsd with a PDF-writing label queue, creates a print
station (`hm devices add`'s code) and a volunteer, runs `hm pi run` as its own process, then
checks attendees in one at a time. For each it measures from just before the `check_in` RPC to
the moment `print_jobs.status` is 'printed' (set only after CUPS reports the job completed, so
this is an upper bound of "check-in → CUPS job completed"). Run once with Realtime (the agent
is woken by the INSERT) and once polling only. Goal (issue 7): p95 < 1 s with Realtime.

    .venv/bin/python bench/print_latency.py                        # 200 with Realtime, 30 polling
    .venv/bin/python bench/print_latency.py --count 50 --polling-count 10 --poll-seconds 3
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from benchkit import percentile, stop_on_sigterm
from supabase import Client, ClientOptions, create_client

from devstack import local_cups
from devstack.local_cups import LocalCups
from devstack.stack.manager import LocalStack
from devstack.testing import private_stack
from hm.people import devices, staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings


def volunteer_client(stack: LocalStack, email: str, password: str, http: httpx.Client) -> Client:
    options = ClientOptions(httpx_client=http, auto_refresh_token=False)
    client = create_client(stack.config.api_url, stack.config.anon_key, options)
    client.auth.sign_in_with_password({"email": email, "password": password})
    return client


def measure(
    client: Client,
    db: psycopg.Connection[tuple[Any, ...]],
    event_id: str,
    count: int,
    max_gap: float,
) -> list[float]:
    """`count` check-ins one at a time, each after a random pause: attendees don't arrive in
    step with the agent's poll timer."""
    latencies: list[float] = []
    for index in range(count):
        time.sleep(random.uniform(0, max_gap))
        phone = f"+1305{secrets.randbelow(10_000_000):07d}"
        started = time.perf_counter()
        result = client.rpc(
            "check_in",
            {
                "p_event_id": event_id,
                "p_phone": phone,
                "p_registration": {"first_name": f"Bench{index}", "last_name": "Attendee"},
            },
        ).execute()
        data: Any = result.data
        job_id = data["print_job_id"]
        while True:
            row = db.execute(
                "select status from public.print_jobs where id = %s", (job_id,)
            ).fetchone()
            if row and row[0] in ("printed", "failed", "unknown"):
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"job {job_id} not printed within 30 s")
            time.sleep(0.002)
        if row[0] != "printed":
            raise RuntimeError(f"job {job_id} ended {row[0]}")
        latencies.append(time.perf_counter() - started)
    return latencies


def run_agent(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    hm = Path(sys.executable).with_name("hm")
    with log.open("ab") as out:
        return subprocess.Popen([str(hm), "pi", "run"], env=env, stdout=out, stderr=out)


def stop_agent(agent: subprocess.Popen[bytes]) -> None:
    agent.send_signal(signal.SIGTERM)
    agent.wait(timeout=30)


def report(name: str, latencies: list[float]) -> None:
    print(
        f"{name:<28} n={len(latencies):<4} p50={statistics.median(latencies) * 1000:7.1f} ms  "
        f"p95={percentile(latencies, 0.95) * 1000:7.1f} ms  max={max(latencies) * 1000:7.1f} ms"
    )


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="check-ins with Realtime")
    parser.add_argument("--polling-count", type=int, default=30, help="check-ins polling only")
    parser.add_argument("--poll-seconds", type=float, default=3.0, help="the agent's poll interval")
    args = parser.parse_args()

    cups_dir = Path(tempfile.mkdtemp(prefix="hm-bench-cups-"))
    cups: LocalCups = local_cups.start(cups_dir)
    try:
        with private_stack() as stack, httpx.Client() as http:
            env = stack.config.client_env()
            settings = SupabaseServiceSettings(
                supabase_url=env["SUPABASE_URL"],
                supabase_service_role_key=env["SUPABASE_SERVICE_ROLE_KEY"],
            )
            unique = uuid.uuid4().hex[:8]
            with ServiceApi(settings) as api:
                volunteer = staff.add_staff(api, f"bench-{unique}@hellomiami.local", "volunteer")
                station = devices.add_device(api, f"bench-{unique}", "Bench", cups.queue)
            with psycopg.connect(stack.config.db_url(), autocommit=True) as db:
                row = db.execute(
                    "insert into public.events (slug, name, starts_at, ends_at, published, "
                    "default_device_id) values (%s, 'Bench night', now(), now() + interval "
                    "'4 hours', true, %s) returning id",
                    (f"bench-{unique}", station.device_id),
                ).fetchone()
                assert row is not None
                event_id = str(row[0])
                client = volunteer_client(stack, volunteer.member.email, volunteer.password, http)
                agent_env = {
                    **os.environ,
                    "SUPABASE_URL": env["SUPABASE_URL"],
                    "SUPABASE_ANON_KEY": env["SUPABASE_ANON_KEY"],
                    "HM_DEVICE_EMAIL": station.email,
                    "HM_DEVICE_PASSWORD": station.password,
                    "HM_POLL_SECONDS": str(args.poll_seconds),
                    **cups.env(),
                }
                log = cups_dir / "agent.log"
                for name, overrides, count, max_gap in (
                    ("with Realtime", {}, args.count, 0.2),
                    (
                        f"polling only ({args.poll_seconds:g} s)",
                        {"HM_PI_REALTIME": "0"},
                        args.polling_count,
                        args.poll_seconds,
                    ),
                ):
                    if count <= 0:
                        continue
                    agent = run_agent({**agent_env, **overrides}, log)
                    try:
                        measure(client, db, event_id, 3, 0.0)  # warm up: sign-in, subscribe, fonts
                        report(name, measure(client, db, event_id, count, max_gap))
                    finally:
                        stop_agent(agent)
    finally:
        cups.stop()
        shutil.rmtree(cups_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
