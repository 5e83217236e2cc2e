"""Inbox latency: a text sent by a contact → visible in an open inbox (issue 15: p95 < 1 s).

Starts a private stack with the provider simulator and the webhook server. An organizer's
"open inbox" is what the SPA does: a Realtime subscription to `conversations` changes (Phoenix
frames as supabase-js sends them, with the organizer's token, so RLS applies) and, on each
change, the inbox's own read (`inbox_conversations` through PostgREST as the organizer). Each
text is posted by the simulator as Twilio would (a signed webhook; the server processes it in
SQL before answering); the clock runs from just before asking the simulator to the moment the
inbox's read returns the conversation with that text as its last message. Rendering is not
counted (the e2e test shows the same path on screen).

    .venv/bin/python bench/inbox_latency.py                  # 100 texts from 20 contacts
    .venv/bin/python bench/inbox_latency.py --texts 300 --interval 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import websockets
from benchkit import percentile, stop_on_sigterm

from devstack.local_messaging import LocalMessaging
from devstack.stack import keys
from devstack.stack.manager import LocalStack
from devstack.testing import free_port, private_stack

OUR_NUMBER = "+13055550190"


def arrange(stack: LocalStack, contacts: int) -> tuple[str, list[str]]:
    """An SMS sender, an organizer and `contacts` phone numbers; returns (organizer id, phones)."""
    organizer = str(uuid.uuid4())
    phones = [f"+1786444{index:04d}" for index in range(contacts)]
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(
            "insert into public.senders (name, channel, provider, from_number, mps_segments)"
            " values ('Bench', 'sms', 'twilio', %s, 10)",
            (OUR_NUMBER,),
        )
        conn.execute(
            "insert into auth.users (id, email) values (%s, %s)", (organizer, "bench@example.org")
        )
        conn.execute(
            "insert into public.staff (user_id, level, status) values (%s, 'organizer', 'active')",
            (organizer,),
        )
    return organizer, phones


class OpenInbox:
    """The inbox screen's data path: a change on `conversations` → the inbox's read."""

    def __init__(self, stack: LocalStack, token: str) -> None:
        self.ws_url = (
            f"ws://127.0.0.1:{stack.config.api_port}/realtime/v1/websocket"
            f"?apikey={stack.config.anon_key}&vsn=1.0.0"
        )
        self.token = token
        self.rest = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{stack.config.api_port}/rest/v1",
            headers={"apikey": stack.config.anon_key, "Authorization": f"Bearer {token}"},
            timeout=10,
        )
        self.ready = asyncio.Event()
        # (phone, text) → when the inbox's read first showed it.
        self.seen: dict[tuple[str, str], float] = {}
        self.changed = asyncio.Event()
        # Set after each read, so the run can wait for the last texts to show.
        self.read = asyncio.Event()

    async def listen(self) -> None:
        async with websockets.connect(self.ws_url, max_queue=None) as socket:
            binding = {"event": "*", "schema": "public", "table": "conversations"}
            await socket.send(
                json.dumps(
                    {
                        "topic": "realtime:inbox",
                        "event": "phx_join",
                        "ref": "1",
                        "join_ref": "1",
                        "payload": {
                            "config": {"postgres_changes": [binding]},
                            "access_token": self.token,
                        },
                    }
                )
            )
            async for frame in socket:
                message = json.loads(frame)
                if message["event"] == "system":
                    self.ready.set()
                elif message["event"] == "postgres_changes":
                    self.changed.set()

    async def refetch_on_changes(self) -> None:
        """Like TanStack Query after an invalidation: one read at a time, again if changed."""
        while True:
            await self.changed.wait()
            self.changed.clear()
            answer = await self.rest.post(
                "/rpc/inbox_conversations", json={"p_filter": "all", "p_limit": 200}
            )
            answer.raise_for_status()
            now = time.time()
            for row in answer.json():
                self.seen.setdefault((row["contact_phone"], row["last_message_preview"]), now)
            self.read.set()

    async def wait_until_seen(self, expected: set[tuple[str, str]], seconds: float) -> None:
        deadline = time.time() + seconds
        while not expected <= set(self.seen) and time.time() < deadline:
            self.read.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.read.wait(), max(0.0, deadline - time.time()))


async def run(texts: int, contacts: int, interval: float) -> list[float]:
    with private_stack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="hm-bench-inbox-"))
        messaging = LocalMessaging(
            stack.config.client_env(),
            folder / "run",
            folder / "logs",
            simulator_port=free_port(),
            webhook_port=free_port(),
        )
        try:
            messaging.start(worker_count=0)
            organizer, phones = arrange(stack, contacts)
            inbox = OpenInbox(stack, keys.access_token(stack.config.jwt_secret, sub=organizer))
            tasks = [
                asyncio.create_task(inbox.listen()),
                asyncio.create_task(inbox.refetch_on_changes()),
            ]
            await asyncio.wait_for(inbox.ready.wait(), 30)
            sent: dict[tuple[str, str], float] = {}
            async with httpx.AsyncClient(base_url=messaging.simulator.url, timeout=30) as sim:
                for number in range(texts):
                    phone = phones[number % contacts]
                    text = f"Question {number}: is the event on tonight?"
                    sent[(phone, text)] = time.time()
                    answer = await sim.post(
                        "/_sim/inbound", json={"from": phone, "to": OUR_NUMBER, "body": text}
                    )
                    assert answer.json()["status_code"] == 200, answer.text
                    await asyncio.sleep(interval)
            await inbox.wait_until_seen(set(sent), 10)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await inbox.rest.aclose()
        finally:
            messaging.stop()
            shutil.rmtree(folder, ignore_errors=True)
    missing = [key for key in sent if key not in inbox.seen]
    if missing:
        print(f"never visible: {len(missing)} of {len(sent)}")
    return [(inbox.seen[key] - at) * 1000 for key, at in sent.items() if key in inbox.seen]


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--contacts", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between texts")
    args = parser.parse_args()
    latencies = asyncio.run(run(args.texts, args.contacts, args.interval))
    print(f"inbox latency: {len(latencies)} of {args.texts} texts visible")
    with contextlib.suppress(ValueError):
        p50, p95, p99 = (percentile(latencies, f) for f in (0.50, 0.95, 0.99))
        print(f"  ms: p50 {p50:.0f}  p95 {p95:.0f}  p99 {p99:.0f}  max {max(latencies):.0f}")
        met = p95 < 1000 and len(latencies) == args.texts
        print(f"  goal (p95 < 1000 ms, every text visible): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
