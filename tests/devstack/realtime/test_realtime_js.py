"""supabase-js under Node (vsn 2.0.0, its default, and 1.0.0 forced) against the stack's service."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from devstack.stack.config import TOOLS_DIR
from devstack.stack.manager import LocalStack
from tests.devstack.realtime.helpers import Inbox, PublishedTable

SCRIPT = Path(__file__).parent / "js" / "realtime_client.mjs"
ALICE = str(uuid.uuid4())
BOB = str(uuid.uuid4())
VSNS = ["2.0.0", "1.0.0"]


class JsClient:
    """One Node process running realtime_client.mjs; its stdout lines land in `events`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.events = Inbox()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.events.add(json.loads(line))

    async def command(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        await self.process.stdin.drain()

    async def subscribed(self) -> None:
        status = await self.events.wait_for(lambda e: e["kind"] == "status", within=10)
        assert status["status"] == "SUBSCRIBED", status

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events.items if e["kind"] == kind]

    async def stop(self) -> str:
        with contextlib.suppress(ConnectionError):
            await self.command(quit=True)
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        await self.reader
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode()


@pytest.fixture
async def start_js(stack: LocalStack) -> AsyncIterator[Callable[..., Any]]:
    started: list[JsClient] = []

    async def start(vsn: str, topic: str, **settings: str) -> JsClient:
        env = {
            **os.environ,
            "NODE_PATH": str(TOOLS_DIR / "node_modules"),
            "SUPABASE_URL": stack.config.api_url,
            "SUPABASE_ANON_KEY": stack.config.anon_key,
            "VSN": vsn,
            "TOPIC": topic,
            **settings,
        }
        process = await asyncio.create_subprocess_exec(
            "node",
            str(SCRIPT),
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        client = JsClient(process)
        started.append(client)
        return client

    yield start
    for client in started:
        stderr = await client.stop()
        assert "Error" not in stderr, stderr


def topic() -> str:
    return f"js-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("vsn", VSNS)
async def test_postgres_changes_with_filter_and_rls(
    vsn: str,
    start_js: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    user_token: Callable[..., str],
) -> None:
    table = make_table()
    js = await start_js(
        vsn, topic(), TABLE=table.name, FILTER="n=gte.10", ACCESS_TOKEN=user_token(ALICE)
    )
    await js.subscribed()
    await js.events.wait_for(lambda e: e["kind"] == "system")

    table.insert(BOB, n=20)  # RLS hides it from Alice
    table.insert(ALICE, n=5)  # the filter drops it
    row = table.insert(ALICE, n=15, label="shown")
    change = await js.events.wait_for(lambda e: e["kind"] == "change")
    assert change["eventType"] == "INSERT"
    assert change["new"]["id"] == row
    assert change["new"]["n"] == 15  # converted by supabase-js from the int4 column type
    assert change["old"] == {}
    assert change["errors"] is None
    table.execute("update {table} set label = 'moved' where id = %s", (row,))
    update = await js.events.wait_for(
        lambda e: e["kind"] == "change" and e["eventType"] == "UPDATE"
    )
    assert update["new"]["label"] == "moved"
    assert update["old"] == {"id": row}
    assert [e["new"]["id"] for e in js.of_kind("change")] == [row, row]


@pytest.mark.parametrize("vsn", VSNS)
async def test_broadcast_between_supabase_js_and_supabase_py(
    vsn: str, start_js: Callable[..., Any], make_async_client: Callable[..., Any]
) -> None:
    name = topic()
    js = await start_js(vsn, name, BROADCAST_ACK="1")
    await js.subscribed()
    py_channel = (await make_async_client()).channel(name)
    py_inbox = Inbox()
    py_channel.on_broadcast("*", py_inbox.add)
    await py_channel.subscribe()

    await js.command(send={"event": "from-js", "payload": {"text": "hi from node"}})
    sent = await js.events.wait_for(lambda e: e["kind"] == "sent")
    assert sent["result"] == "ok"  # the server's ack
    received = await py_inbox.wait_for(lambda m: m["event"] == "from-js")
    assert received["payload"] == {"text": "hi from node"}

    await py_channel.send_broadcast("from-py", {"text": "hi from python"})
    heard = await js.events.wait_for(lambda e: e["kind"] == "broadcast")
    assert heard == {"kind": "broadcast", "event": "from-py", "payload": {"text": "hi from python"}}


async def test_binary_broadcast_between_vsn2_clients_only(
    start_js: Callable[..., Any], make_async_client: Callable[..., Any]
) -> None:
    name = topic()
    sender = await start_js("2.0.0", name)
    receiver = await start_js("2.0.0", name)
    await sender.subscribed()
    await receiver.subscribed()
    py_channel = (await make_async_client()).channel(name)
    py_inbox = Inbox()
    py_channel.on_broadcast("*", py_inbox.add)
    await py_channel.subscribe()

    await sender.command(sendBinary={"event": "blob", "bytes": [0, 1, 2, 254, 255]})
    heard = await receiver.events.wait_for(lambda e: e["kind"] == "broadcast")
    assert heard["payload"] == {"binary": [0, 1, 2, 254, 255]}
    # A JSON message after it reaches Python, which never saw the binary one (vsn 1.0.0
    # cannot carry it).
    await sender.command(send={"event": "after", "payload": {}})
    await py_inbox.wait_for(lambda m: m["event"] == "after")
    assert [m["event"] for m in py_inbox.items] == ["after"]


@pytest.mark.parametrize("vsn", VSNS)
async def test_presence_between_two_supabase_js_clients(
    vsn: str, start_js: Callable[..., Any]
) -> None:
    name = topic()
    first = await start_js(vsn, name, PRESENCE_KEY="kiosk-a")
    await first.events.wait_for(lambda e: e["kind"] == "tracked")
    second = await start_js(vsn, name, PRESENCE_KEY="kiosk-b")
    tracked = await second.events.wait_for(lambda e: e["kind"] == "tracked")
    assert tracked["result"] == "ok"
    both = await second.events.wait_for(
        lambda e: e["kind"] == "presence" and set(e["state"]) == {"kiosk-a", "kiosk-b"}
    )
    assert both["state"]["kiosk-a"][0]["who"] == "kiosk-a"
    await first.events.wait_for(
        lambda e: e["kind"] == "presence" and set(e["state"]) == {"kiosk-a", "kiosk-b"}
    )


@pytest.mark.parametrize("vsn", VSNS)
async def test_heartbeats_are_answered(vsn: str, start_js: Callable[..., Any]) -> None:
    js = await start_js(vsn, topic(), HEARTBEAT_MS="300")
    await js.subscribed()
    await js.events.wait_for(lambda e: e["kind"] == "heartbeat" and e["status"] == "ok")
    await asyncio.sleep(1)
    assert "timeout" not in [e["status"] for e in js.of_kind("heartbeat")]


@pytest.mark.parametrize("vsn", VSNS)
async def test_an_expired_token_closes_the_supabase_js_channel(
    vsn: str, start_js: Callable[..., Any], user_token: Callable[..., str]
) -> None:
    js = await start_js(vsn, topic(), ACCESS_TOKEN=user_token(ALICE, 2))
    await js.subscribed()
    system = await js.events.wait_for(lambda e: e["kind"] == "system", within=6)
    assert system["message"]["status"] == "error"
    assert system["message"]["extension"] == "system"
    assert system["message"]["message"] == "Token has expired 0 seconds ago"
    await js.events.wait_for(lambda e: e["kind"] == "status" and e["status"] == "CLOSED")


@pytest.mark.parametrize("vsn", VSNS)
async def test_set_auth_refreshes_the_token_of_a_joined_channel(
    vsn: str,
    start_js: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    user_token: Callable[..., str],
) -> None:
    table = make_table()
    js = await start_js(vsn, topic(), TABLE=table.name, ACCESS_TOKEN=user_token(ALICE, 2))
    await js.subscribed()
    await js.command(setAuth=user_token(ALICE))
    await js.events.wait_for(lambda e: e["kind"] == "auth-set")
    await asyncio.sleep(2.5)  # past the first token's expiry
    row = table.insert(ALICE)
    change = await js.events.wait_for(lambda e: e["kind"] == "change")
    assert change["new"]["id"] == row
    statuses = [e["status"] for e in js.of_kind("status")]
    assert statuses == ["SUBSCRIBED"]
    assert all(e["message"]["status"] == "ok" for e in js.of_kind("system"))
