"""Webhook server under load: signed Twilio status callbacks at a fixed rate (open loop), then
latency percentiles and how many were lost (answered or not, every one must be stored).

Goal (issue 6): 500 req/s for 60 s, p99 < 100 ms, zero lost.
    .venv/bin/python bench/webhook_load.py            # 10 s at 500 req/s
    .venv/bin/python bench/webhook_load.py --full     # 60 s
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import uvloop
from benchkit import percentile, stop_on_sigterm

from devstack.local_messaging import LocalMessaging
from devstack.simulators.callbacks import twilio_signature
from devstack.testing import free_port, private_stack


def signed_requests(url: str, token: str, count: int) -> list[bytes]:
    """Every request built and signed before the clock starts: the load generator's own CPU
    must not be what the benchmark measures."""
    parts = urlsplit(url)
    requests = []
    for _ in range(count):
        params = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "MessageStatus": "delivered",
            "AccountSid": "AC" + "0" * 32,
            "To": "+13055550100",
            "From": "+13055550000",
        }
        body = urlencode(params).encode()
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"X-Twilio-Signature: {twilio_signature(token, url, params)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


class Connection:
    """One keep-alive HTTP/1.1 connection (a minimal client: httpx costs ~2.5 ms of CPU per
    request, which on a small machine starves the server it is measuring)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def exchange(self, request: bytes) -> int:
        """Send one request; the response's status code once its body has been read."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return int(lines[0].split(" ")[1])

    def close(self) -> None:
        self.writer.close()


async def fire(url: str, requests: list[bytes], rate: int) -> tuple[list[float], int, float]:
    """Send the requests on a fixed schedule (open loop), each on an idle keep-alive connection
    or a new one. Latency counts from the request's scheduled time, so time spent waiting for
    the server to free a connection is included. Returns latencies, errors, and the most the
    generator itself fell behind its schedule."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    idle: list[Connection] = []
    latencies: list[float] = []
    errors = 0
    failures: Counter[str] = Counter()
    behind = 0.0

    async def exchange(request: bytes) -> tuple[int, Connection]:
        """On an idle connection, or a new one. An idle connection the server has just closed
        (keep-alive timeout) fails before any answer: like any HTTP client, try a new one."""
        while idle:
            connection = idle.pop()
            try:
                return await connection.exchange(request), connection
            except (OSError, asyncio.IncompleteReadError):
                connection.close()
        connection = await Connection.open(host, port)
        try:
            return await connection.exchange(request), connection
        except BaseException:
            connection.close()
            raise

    async def one(scheduled: float, request: bytes) -> None:
        nonlocal errors
        try:
            status, connection = await asyncio.wait_for(exchange(request), 15)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            errors += 1
            failures[type(error).__name__] += 1
            return
        latencies.append(time.perf_counter() - scheduled)
        if status != 204:
            errors += 1
            failures[f"HTTP {status}"] += 1
        idle.append(connection)

    tasks = []
    start = time.perf_counter()
    for index, request in enumerate(requests):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            behind = max(behind, -delay)
        tasks.append(asyncio.create_task(one(scheduled, request)))
    await asyncio.gather(*tasks)
    for connection in idle:
        connection.close()
    if failures:
        print(f"  failures: {dict(failures)}")
    return latencies, errors, behind


def stored_events(db_url: str) -> tuple[int, int]:
    """(stored, of which still waiting to be processed)."""
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            """select count(*), count(*) filter (where status = 'received')
               from public.webhook_events where provider = 'twilio'"""
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(pid: int) -> float:
    """CPU of the server process and its children (uvicorn's worker processes)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def wait_processed(db_url: str, timeout: float) -> tuple[int, int, float]:
    """Poll until nothing is left unprocessed (or the timeout); (stored, unprocessed, waited)."""
    started = time.perf_counter()
    while True:
        stored, waiting = stored_events(db_url)
        waited = time.perf_counter() - started
        if waiting == 0 or waited > timeout:
            return stored, waiting, waited
        time.sleep(0.5)


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
    parser.add_argument(
        "--processes", type=int, default=2, help="webhook server processes (WEBHOOK_PROCESSES)"
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
            webhook_processes=args.processes,
        )
        try:
            messaging.start(worker_count=0)
            url = f"{messaging.webhook_url}/twilio/status"
            token = messaging.simulator_config.twilio_auth_token
            requests = signed_requests(url, token, int(args.rate * seconds))
            server_pid = messaging.webhook.pid()
            assert server_pid is not None
            cpu_before = server_cpu_seconds(server_pid)
            latencies, errors, behind = uvloop.run(fire(url, requests, args.rate))
            server_cpu = server_cpu_seconds(server_pid) - cpu_before
            stored, waiting, waited = wait_processed(stack.config.db_url(), 60.0)
        finally:
            messaging.stop()
            shutil.rmtree(folder, ignore_errors=True)
    sent = len(requests)
    print(
        f"webhook load ({args.transport}, {args.processes} server processes): {sent} signed "
        f"status callbacks at {args.rate} req/s for {seconds:.0f} s"
    )
    p50, p95, p99 = (percentile(latencies, f) * 1000 for f in (0.50, 0.95, 0.99))
    print(f"  answered: {len(latencies)}  errors (non-204 or no answer): {errors}")
    print(
        f"  latency p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms  "
        f"max {max(latencies or [0]) * 1000:.1f} ms"
    )
    print(
        f"  server CPU {server_cpu / sent * 1000:.2f} ms per request; "
        f"load generator at most {behind * 1000:.0f} ms behind schedule"
    )
    print(
        f"  stored: {stored}  lost: {sent - stored}  "
        f"unprocessed {waited:.1f} s after the run: {waiting}"
    )
    goal = percentile(latencies, 0.99) < 0.1 and stored == sent and errors == 0 and not waiting
    print(f"  goal (p99 < 100 ms, zero lost): {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
