"""Broadcast, presence, heartbeats and tokens, through supabase-py and bare Phoenix frames."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import websockets
from realtime import RealtimeSubscribeStates

from devstack.stack.manager import LocalStack
from tests.devstack.realtime.helpers import Inbox, PublishedTable

ALICE = str(uuid.uuid4())


def presence(key: str) -> dict[str, Any]:
    return {"key": key, "enabled": True}


def topic() -> str:
    return f"room-{uuid.uuid4().hex[:8]}"


async def joined(client: Any, name: str, **config: Any) -> Any:
    params = {"config": {"broadcast": {"ack": False, "self": False}, "private": False, **config}}
    channel = client.channel(name, params)
    return channel


async def test_broadcast_reaches_others_and_self_only_when_asked(
    make_async_client: Callable[..., Any],
) -> None:
    name = topic()
    sender_client, other_client = await make_async_client(), await make_async_client()
    sender = await joined(sender_client, name, broadcast={"self": True, "ack": True})
    quiet = await joined(other_client, name)
    heard_by_sender, heard_by_other = Inbox(), Inbox()
    sender.on_broadcast("greeting", heard_by_sender.add)
    quiet.on_broadcast("greeting", heard_by_other.add)
    await sender.subscribe()
    await quiet.subscribe()

    await sender.send_broadcast("greeting", {"text": "hello"})
    await heard_by_other.wait_count(1)
    await heard_by_sender.wait_count(1)
    assert heard_by_other.items[0]["payload"] == {"text": "hello"}
    assert heard_by_other.items[0]["event"] == "greeting"

    await quiet.send_broadcast("greeting", {"text": "back"})
    await heard_by_sender.wait_count(2)
    # self is off for `quiet`, so it never hears its own message.
    await asyncio.sleep(0.2)
    assert [i["payload"]["text"] for i in heard_by_other.items] == ["hello"]


async def test_broadcast_ack_is_a_phx_reply_and_without_ack_there_is_none(
    raw_socket: Callable[..., Any],
) -> None:
    socket = await raw_socket()
    name = f"realtime:{topic()}"
    join_ref = await socket.send(name, "phx_join", {"config": {"broadcast": {"ack": True}}})
    reply = await socket.receive()
    assert reply["event"] == "phx_reply"
    assert reply["payload"] == {"status": "ok", "response": {"postgres_changes": []}}
    ref = await socket.send(
        name, "broadcast", {"type": "broadcast", "event": "e", "payload": {}}, join_ref
    )
    ack = await socket.receive()
    assert ack == {
        "event": "phx_reply",
        "topic": name,
        "payload": {"status": "ok", "response": {}},
        "ref": ref,
        "join_ref": join_ref,
    }


async def test_http_broadcast_endpoint_answers_202_and_delivers(
    stack: LocalStack, make_async_client: Callable[..., Any]
) -> None:
    name = topic()
    channel = await joined(await make_async_client(), name)
    inbox = Inbox()
    channel.on_broadcast("notice", inbox.add)
    await channel.subscribe()

    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{stack.config.api_url}/realtime/v1/api/broadcast",
            headers={"apikey": stack.config.service_role_key},
            json={"messages": [{"topic": name, "event": "notice", "payload": {"n": 1}}]},
        )
        assert response.status_code == 202
        refused = await http.post(
            f"{stack.config.api_url}/realtime/v1/api/broadcast",
            json={"messages": [{"topic": name, "event": "notice", "payload": {"n": 2}}]},
        )
        assert refused.status_code == 401
        preflight = await http.options(
            f"{stack.config.api_url}/realtime/v1/api/broadcast",
            headers={
                "origin": "http://localhost:5173",
                "access-control-request-method": "POST",
                "access-control-request-headers": "apikey, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
    await inbox.wait_count(1)
    assert inbox.items[0]["payload"] == {"n": 1}

    # supabase-py's own HTTP path: POST /api/broadcast/{topic}/events/{event}.
    await channel.http_send("notice", {"n": 3})
    await inbox.wait_count(2)
    assert inbox.items[1]["payload"] == {"n": 3}


async def test_presence_track_and_untrack_give_state_and_diffs(
    make_async_client: Callable[..., Any],
) -> None:
    name = topic()
    first = await joined(
        await make_async_client(), name, presence={"key": "kiosk-1", "enabled": True}
    )
    second = await joined(
        await make_async_client(), name, presence={"key": "kiosk-2", "enabled": True}
    )
    joins, leaves = Inbox(), Inbox()
    second.on_presence_join(lambda key, current, new: joins.add((key, new)))
    second.on_presence_leave(lambda key, current, left: leaves.add((key, left)))
    await first.subscribe()
    await first.track({"status": "online"})
    await second.subscribe()

    # The state sent on join already holds kiosk-1.
    await joins.wait_for(lambda item: item[0] == "kiosk-1")
    state = second.presence_state()
    assert state["kiosk-1"][0]["status"] == "online"
    assert "presence_ref" in state["kiosk-1"][0]

    await first.untrack()
    _, left = await leaves.wait_for(lambda item: item[0] == "kiosk-1")
    assert left[0]["status"] == "online"
    assert "kiosk-1" not in second.presence_state()


async def test_heartbeat_gets_a_reply_with_its_ref_in_both_serialisations(
    raw_socket: Callable[..., Any],
) -> None:
    v1 = await raw_socket("1.0.0")
    ref = await v1.send("phoenix", "heartbeat", {})
    assert await v1.receive() == {
        "event": "phx_reply",
        "topic": "phoenix",
        "payload": {"status": "ok", "response": {}},
        "ref": ref,
        "join_ref": None,
    }
    v2 = await raw_socket("2.0.0")
    ref = await v2.send("phoenix", "heartbeat", {})
    assert await v2.receive() == [
        None,
        ref,
        "phoenix",
        "phx_reply",
        {"status": "ok", "response": {}},
    ]


async def test_a_socket_without_a_valid_api_key_is_refused(stack: LocalStack) -> None:
    url = f"ws://127.0.0.1:{stack.config.api_port}/realtime/v1/websocket?apikey=nope&vsn=1.0.0"
    with pytest.raises(websockets.InvalidStatus) as refusal:
        async with websockets.connect(url):
            pass
    assert refusal.value.response.status_code == 401


async def test_an_expired_token_ends_the_subscription_with_a_system_message(
    raw_socket: Callable[..., Any], user_token: Callable[..., str]
) -> None:
    socket = await raw_socket("2.0.0")
    name = f"realtime:{topic()}"
    join_ref = await socket.send(name, "phx_join", {"access_token": user_token(ALICE, 1)}, None)
    reply = await socket.receive()
    assert reply[3] == "phx_reply"
    assert reply[4]["status"] == "ok"
    system = await socket.receive(within=5)
    assert system == [
        join_ref,
        None,
        name,
        "system",
        {
            "extension": "system",
            "status": "error",
            "message": "Token has expired 0 seconds ago",
            "channel": name.removeprefix("realtime:"),
        },
    ]
    assert await socket.receive() == [join_ref, join_ref, name, "phx_close", {}]


async def test_joining_with_an_expired_token_is_refused(
    raw_socket: Callable[..., Any], user_token: Callable[..., str]
) -> None:
    socket = await raw_socket()
    await socket.send(f"realtime:{topic()}", "phx_join", {"access_token": user_token(ALICE, -5)})
    reply = await socket.receive()
    assert reply["payload"]["status"] == "error"
    assert reply["payload"]["response"]["reason"].startswith("InvalidJWTToken: Token has expired")


async def test_supabase_py_sees_the_expiry_as_error_then_closed(
    make_async_client: Callable[..., Any], user_token: Callable[..., str]
) -> None:
    client = await make_async_client(user_token(ALICE, 2))
    channel = client.channel(topic())
    states = Inbox()
    await channel.subscribe(lambda state, error: states.add((state, str(error))))
    await states.wait_for(lambda s: s[0] == RealtimeSubscribeStates.CLOSED, within=6)
    errors = [
        error for state, error in states.items if state == RealtimeSubscribeStates.CHANNEL_ERROR
    ]
    assert any("Token has expired" in error for error in errors)


async def test_access_token_refresh_keeps_the_channel_and_switches_identity(
    make_async_client: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    user_token: Callable[..., str],
) -> None:
    bob = str(uuid.uuid4())
    table = make_table()
    client = await make_async_client(user_token(ALICE, 2))
    inbox = Inbox()
    states = Inbox()
    channel = client.channel(topic())
    channel.on_postgres_changes("INSERT", inbox.add, table=table.name)
    await channel.subscribe(lambda state, error: states.add(state))

    # A fresh token for another user, sent as the `access_token` event, before expiry.
    await client.realtime.set_auth(user_token(bob))
    await asyncio.sleep(2.5)  # past the first token's expiry: the channel must survive it
    hidden = table.insert(ALICE)
    visible = table.insert(bob)
    item = await inbox.wait_for(lambda i: i["data"]["record"]["id"] == visible)
    assert item["data"]["record"]["owner"] == bob
    assert hidden not in [i["data"]["record"]["id"] for i in inbox.items]
    assert RealtimeSubscribeStates.CLOSED not in states.items


async def test_a_refused_access_token_ends_the_channel(
    raw_socket: Callable[..., Any], user_token: Callable[..., str]
) -> None:
    socket = await raw_socket()
    name = f"realtime:{topic()}"
    join_ref = await socket.send(name, "phx_join", {"access_token": user_token(ALICE)})
    await socket.receive()
    await socket.send(name, "access_token", {"access_token": "not-a-jwt"}, join_ref)
    system = await socket.receive()
    assert system["event"] == "system"
    assert system["ref"] is None
    assert system["payload"]["message"] == "The token provided is not a valid JWT"
    closing = await socket.receive()
    assert (closing["event"], closing["ref"]) == ("phx_close", join_ref)


async def test_bad_joins_get_clear_errors_and_the_socket_keeps_working(
    raw_socket: Callable[..., Any],
) -> None:
    socket = await raw_socket()
    name = f"realtime:{topic()}"
    await socket.send(name, "phx_join", {"config": "nonsense"})
    reply = await socket.receive()
    assert reply["payload"] == {
        "status": "error",
        "response": {"reason": "InvalidJoinPayload: config must be an object"},
    }
    await socket.send(name, "phx_join", {"config": {"private": True}})
    private = await socket.receive()
    assert private["payload"]["response"]["reason"].startswith("Unauthorized: ")
    await socket.send(name, "broadcast", {"type": "broadcast", "event": "e", "payload": {}})
    unmatched = await socket.receive()
    assert unmatched["payload"] == {"status": "error", "response": {"reason": "unmatched topic"}}
    await socket.connection.send("not a frame")
    ref = await socket.send("phoenix", "heartbeat", {})
    assert (await socket.receive())["ref"] == ref


async def test_leaving_a_presence_channel_tells_the_others(
    make_async_client: Callable[..., Any],
) -> None:
    name = topic()
    stays = await joined(await make_async_client(), name, presence=presence("stays"))
    goes = await joined(await make_async_client(), name, presence=presence("goes"))
    leaves = Inbox()
    stays.on_presence_leave(lambda key, current, left: leaves.add(key))
    await stays.subscribe()
    await goes.subscribe()
    await goes.track({"status": "here"})
    async with asyncio.timeout(5):
        while "goes" not in stays.presence_state():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    await goes.unsubscribe()
    assert await leaves.wait_for(lambda key: key == "goes") == "goes"
