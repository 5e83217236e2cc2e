"""Phoenix channels over one WebSocket: join/leave, heartbeat, broadcast, presence, tokens.

Replies are `phx_reply` with `{status, response}` and the request's ref; server pushes carry
`ref: null` (supabase-py's parser insists). An expired or refused token ends the channel as
Supabase Realtime's `shutdown_response` does: a `system` message with status "error", then
`phx_close` with the join ref.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any, Protocol

from devstack.stack.realtime import tokens
from devstack.stack.realtime.bindings import (
    Binding,
    BindingError,
    binding_id,
    check_published,
    parse_binding,
)
from devstack.stack.realtime.hub import TOPIC_PREFIX, Channel, Hub
from devstack.stack.realtime.serializer import (
    JSON_ENCODING,
    FrameError,
    Message,
    UserBroadcast,
    decode_binary,
    decode_text,
    encode_text,
)

log = logging.getLogger("hm.realtime.channels")

# Longest wait before re-checking a token: timers far in the future are capped, as Supabase does.
MAX_TOKEN_CHECK_INTERVAL = 3600.0


class Outbox(Protocol):
    """Where a connection's frames go (the WebSocket writer)."""

    def put_nowait(self, item: str | bytes | None) -> None: ...


class ClientConnection:
    """The Phoenix socket of one WebSocket client."""

    def __init__(self, hub: Hub, outbox: Outbox, vsn: str, api_key: str) -> None:
        self.hub = hub
        self.outbox = outbox
        self.vsn = vsn
        self.api_key = api_key
        self.channels: dict[str, Channel] = {}

    # Frames out

    def send(self, message: Message) -> None:
        self.outbox.put_nowait(encode_text(message, self.vsn))

    def send_frame(self, frame: str) -> None:
        """A frame already encoded for this connection's vsn (shared by many recipients)."""
        self.outbox.put_nowait(frame)

    def send_binary(self, frame: bytes) -> None:
        self.outbox.put_nowait(frame)

    def reply(self, request: Message, status: str, response: dict[str, Any]) -> None:
        payload = {"status": status, "response": response}
        self.send(Message(request.topic, "phx_reply", payload, request.ref, request.join_ref))

    # Frames in

    async def receive_text(self, text: str) -> None:
        try:
            message = decode_text(text, self.vsn)
        except FrameError as error:
            log.info("dropped a malformed frame: %s", error)
            return
        await self.handle(message)

    def receive_binary(self, frame: bytes) -> None:
        try:
            broadcast = decode_binary(frame)
        except FrameError as error:
            log.info("dropped a malformed binary frame: %s", error)
            return
        channel = self.channels.get(broadcast.topic)
        if channel is None:
            request = Message(broadcast.topic, "broadcast", {}, broadcast.ref, broadcast.join_ref)
            self.reply(request, "error", {"reason": "unmatched topic"})
            return
        self.hub.broadcast(broadcast, channel)
        if channel.broadcast_ack:
            request = Message(broadcast.topic, "broadcast", {}, broadcast.ref, broadcast.join_ref)
            self.reply(request, "ok", {})

    async def handle(self, message: Message) -> None:
        if message.topic == "phoenix" and message.event == "heartbeat":
            self.reply(message, "ok", {})
            return
        if message.event == "phx_join":
            try:
                await self.join(message)
            except Exception as error:
                # Reported to the client as Supabase does ("Unknown Error on Channel") and logged.
                log.exception("join of %s failed", message.topic)
                reason = f"UnknownErrorOnChannel: {error}"
                self.reply(message, "error", {"reason": reason})
            return
        channel = self.channels.get(message.topic)
        if channel is None:
            self.reply(message, "error", {"reason": "unmatched topic"})
            return
        if message.event == "phx_leave":
            self.reply(message, "ok", {})
            self.leave(channel)
        elif message.event == "broadcast":
            self.broadcast(channel, message)
        elif message.event == "presence":
            self.presence(channel, message)
        elif message.event == "access_token":
            self.refresh_token(channel, message.payload.get("access_token"))
        else:
            log.info("unexpected %r message on %s", message.event, message.topic)

    # Channel lifecycle

    async def join(self, message: Message) -> None:
        topic = message.topic
        if not topic.startswith(TOPIC_PREFIX):
            self.reply(message, "error", {"reason": "unmatched topic"})
            return
        if topic == TOPIC_PREFIX:
            reason = "TopicNameRequired: You must provide a topic name"
            self.reply(message, "error", {"reason": reason})
            return
        previous = self.channels.pop(topic, None)
        if previous is not None:
            # Phoenix closes the earlier join of the same topic before the new one.
            self.hub.remove(previous)
            self.send(Message(topic, "phx_close", {}, previous.join_ref, previous.join_ref))
        config = message.payload.get("config") or {}
        if not isinstance(config, dict):
            self.reply(message, "error", {"reason": "InvalidJoinPayload: config must be an object"})
            return
        token = message.payload.get("access_token") or message.payload.get("user_token")
        if not isinstance(token, str) or token.startswith("sb_"):
            token = self.api_key
        try:
            claims = tokens.verify(token, self.hub.jwt_secret)
        except tokens.TokenError as error:
            self.reply(message, "error", {"reason": str(error)})
            return
        if config.get("private"):
            reason = (
                "Unauthorized: You do not have permissions to read from this Channel topic: "
                + topic.removeprefix(TOPIC_PREFIX)
            )
            self.reply(message, "error", {"reason": reason})
            return
        broadcast = _object(config.get("broadcast"))
        presence = _object(config.get("presence"))
        channel = Channel(
            connection=self,
            topic=topic,
            join_ref=message.join_ref or message.ref,
            claims=claims,
            access_token=token,
            broadcast_self=bool(broadcast.get("self", False)),
            broadcast_ack=bool(broadcast.get("ack", False)),
            presence_key=str(presence.get("key") or "") or str(uuid.uuid1()),
            presence_enabled=bool(presence.get("enabled", False)),
        )
        requested = [p for p in config.get("postgres_changes") or [] if isinstance(p, dict)]
        bindings, problem = await self._postgres_bindings(requested)
        channel.bindings = [] if problem else bindings
        self.channels[topic] = channel
        self.hub.add(channel)
        self._schedule_token_check(channel)
        # The reply echoes every binding with its id even when one is refused: the refusal
        # comes next, as a system message (what the clients expect from Supabase).
        response = {"postgres_changes": [{**p, "id": binding_id(p)} for p in requested]}
        self.reply(message, "ok", response)
        if channel.presence_enabled:
            channel.push("presence_state", self.hub.presence_state(topic), with_join_ref=True)
        if problem is not None:
            channel.system("postgres_changes", "error", problem)
        elif bindings:
            channel.system("postgres_changes", "ok", "Subscribed to PostgreSQL")

    async def _postgres_bindings(
        self, requested: list[dict[str, Any]]
    ) -> tuple[list[Binding], str | None]:
        if not requested:
            return [], None
        try:
            bindings = [parse_binding(params) for params in requested]
        except BindingError as error:
            return [], str(error)
        async with self.hub.pool.connection() as conn:
            return bindings, await check_published(conn, bindings)

    def leave(self, channel: Channel) -> None:
        self.channels.pop(channel.topic, None)
        self.hub.remove(channel)

    def close(self) -> None:
        for channel in list(self.channels.values()):
            self.leave(channel)
        self.outbox.put_nowait(None)

    def shutdown(self, channel: Channel, reason: str) -> None:
        """End a channel as Supabase Realtime does: system error message, then phx_close."""
        channel.system("system", "error", reason)
        self.send(Message(channel.topic, "phx_close", {}, channel.join_ref, channel.join_ref))
        self.leave(channel)

    # Events on a joined channel

    def broadcast(self, channel: Channel, message: Message) -> None:
        payload = message.payload
        event = payload.get("event")
        if isinstance(event, str):
            user = UserBroadcast(
                topic=channel.topic,
                event=event,
                payload=json.dumps(payload.get("payload")).encode(),
                encoding=JSON_ENCODING,
                meta=payload.get("meta") if isinstance(payload.get("meta"), dict) else None,
            )
            self.hub.broadcast(user, channel)
        if channel.broadcast_ack:
            self.reply(message, "ok", {})

    def presence(self, channel: Channel, message: Message) -> None:
        event = message.payload.get("event")
        if event == "track":
            payload = message.payload.get("payload")
            if not isinstance(payload, dict):
                reason = "Presence track payload must be a map"
                self.reply(message, "error", {"reason": reason})
                return
            if not channel.presence_enabled:
                # A track is what enables presence: send the state this client has not seen.
                channel.presence_enabled = True
                state = self.hub.presence_state(channel.topic)
                channel.push("presence_state", state, with_join_ref=True)
            self.hub.track(channel, payload)
        elif event == "untrack":
            self.hub.untrack(channel)
        self.reply(message, "ok", {})

    def refresh_token(self, channel: Channel, token: Any) -> None:
        if not isinstance(token, str) or token.startswith("sb_") or token == channel.access_token:
            return
        try:
            claims = tokens.verify(token, self.hub.jwt_secret)
        except tokens.TokenError as error:
            self.shutdown(channel, error.message)
            return
        channel.set_token(token, claims)
        self._schedule_token_check(channel)

    def _schedule_token_check(self, channel: Channel) -> None:
        if channel.token_timer is not None:
            channel.token_timer.cancel()
        delay = min(float(channel.claims["exp"]) - time.time(), MAX_TOKEN_CHECK_INTERVAL)
        loop = asyncio.get_running_loop()
        channel.token_timer = loop.call_later(max(delay, 0.0), self._check_token, channel)

    def _check_token(self, channel: Channel) -> None:
        channel.token_timer = None
        if self.channels.get(channel.topic) is not channel:
            return
        left = tokens.seconds_until_expiry(channel.claims)
        if left > 0:
            self._schedule_token_check(channel)
        else:
            self.shutdown(channel, f"Token has expired {-left} seconds ago")


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
