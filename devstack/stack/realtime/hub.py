"""Who is joined where: channels by topic, broadcast fan-out and each topic's presence."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg_pool import AsyncConnectionPool

from devstack.stack.realtime.authorization import Identity
from devstack.stack.realtime.bindings import Binding
from devstack.stack.realtime.presence import TopicPresence
from devstack.stack.realtime.serializer import (
    JSON_ENCODING,
    VSN_2,
    Message,
    UserBroadcast,
    broadcast_payload,
    encode_user_broadcast,
)

TOPIC_PREFIX = "realtime:"


class Connection(Protocol):
    """The socket a channel lives on (ClientConnection)."""

    vsn: str

    def send(self, message: Message) -> None: ...

    def send_frame(self, frame: str) -> None: ...

    def send_binary(self, frame: bytes) -> None: ...


@dataclass(eq=False)
class Channel:
    """One joined topic on one connection."""

    connection: Connection
    topic: str
    join_ref: str | None
    claims: dict[str, Any]
    access_token: str
    broadcast_self: bool = False
    broadcast_ack: bool = False
    presence_key: str = ""
    presence_enabled: bool = False
    bindings: list[Binding] = field(default_factory=list)
    token_timer: asyncio.TimerHandle | None = None
    # Derived from the claims once (every change dispatched looks it up).
    identity: Identity = field(init=False)

    def __post_init__(self) -> None:
        self.identity = Identity.from_claims(self.claims)

    def set_token(self, token: str, claims: dict[str, Any]) -> None:
        self.access_token = token
        self.claims = claims
        self.identity = Identity.from_claims(claims)

    @property
    def sub_topic(self) -> str:
        return self.topic.removeprefix(TOPIC_PREFIX)

    @property
    def owner_id(self) -> int:
        return id(self)

    def push(self, event: str, payload: dict[str, Any], *, with_join_ref: bool = False) -> None:
        join_ref = self.join_ref if with_join_ref else None
        self.connection.send(Message(self.topic, event, payload, None, join_ref))

    def push_broadcast(self, broadcast: UserBroadcast) -> None:
        if self.connection.vsn == VSN_2:
            self.connection.send_binary(encode_user_broadcast(broadcast))
        elif broadcast.encoding == JSON_ENCODING:
            self.push("broadcast", broadcast_payload(broadcast))
        # vsn 1.0.0 cannot carry binary payloads: Supabase skips those clients too.

    def system(self, extension: str, status: str, message: str) -> None:
        payload = {
            "extension": extension,
            "status": status,
            "message": message,
            "channel": self.sub_topic,
        }
        self.push("system", payload, with_join_ref=True)


class Hub:
    """Every joined channel of the service, by topic, with each topic's presence."""

    def __init__(self, pool: AsyncConnectionPool, jwt_secret: str) -> None:
        self.pool = pool
        self.jwt_secret = jwt_secret
        self.topics: dict[str, set[Channel]] = {}
        self.presence: dict[str, TopicPresence] = {}
        # Told whether anyone listens for postgres changes (the WAL reader polls faster then).
        self.on_listening: Callable[[bool], None] = lambda listening: None

    def add(self, channel: Channel) -> None:
        self.topics.setdefault(channel.topic, set()).add(channel)
        if channel.bindings:
            self.on_listening(True)

    def remove(self, channel: Channel) -> None:
        if channel.token_timer is not None:
            channel.token_timer.cancel()
        members = self.topics.get(channel.topic)
        if members is not None:
            members.discard(channel)
            if not members:
                del self.topics[channel.topic]
        self.untrack(channel)
        if channel.bindings:
            self.on_listening(any(True for _ in self.postgres_subscribers()))

    def postgres_subscribers(self) -> Iterator[tuple[Channel, Binding]]:
        for members in self.topics.values():
            for channel in members:
                for binding in channel.bindings:
                    yield channel, binding

    def broadcast(self, broadcast: UserBroadcast, origin: Channel | None) -> None:
        for channel in list(self.topics.get(broadcast.topic, ())):
            if channel is origin and not channel.broadcast_self:
                continue
            channel.push_broadcast(broadcast)

    def track(self, channel: Channel, payload: dict[str, Any]) -> None:
        presence = self.presence.setdefault(channel.topic, TopicPresence())
        diff = presence.track(channel.presence_key, channel.owner_id, payload)
        self._presence_diff(channel.topic, diff)

    def untrack(self, channel: Channel) -> None:
        presence = self.presence.get(channel.topic)
        if presence is None:
            return
        diff = presence.untrack(channel.presence_key, channel.owner_id)
        if presence.empty:
            del self.presence[channel.topic]
        if diff is not None:
            self._presence_diff(channel.topic, diff)

    def presence_state(self, topic: str) -> dict[str, Any]:
        presence = self.presence.get(topic)
        return presence.state() if presence else {}

    def _presence_diff(self, topic: str, diff: dict[str, Any]) -> None:
        for channel in list(self.topics.get(topic, ())):
            channel.push("presence_diff", diff)
