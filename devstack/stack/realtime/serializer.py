"""Phoenix channel frames in the two serialisations the official clients speak.

vsn 1.0.0 (supabase-py): each frame is a JSON object `{join_ref, ref, topic, event, payload}`.
vsn 2.0.0 (supabase-js's default): each text frame is a JSON array
`[join_ref, ref, topic, event, payload]`, and user broadcasts travel as binary frames:
kind 3 ("user broadcast push", client to server) and kind 4 ("user broadcast", server to client),
each a header of one-byte lengths followed by the strings and the user payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

VSN_1 = "1.0.0"
VSN_2 = "2.0.0"
SUPPORTED_VSNS = (VSN_1, VSN_2)

USER_BROADCAST_PUSH = 3
USER_BROADCAST = 4
BINARY_ENCODING = 0
JSON_ENCODING = 1


class FrameError(ValueError):
    """A frame that is not a Phoenix message in the connection's serialisation."""


@dataclass(frozen=True)
class Message:
    """One Phoenix message; `payload` is a JSON object."""

    topic: str
    event: str
    payload: dict[str, Any]
    ref: str | None = None
    join_ref: str | None = None


@dataclass(frozen=True)
class UserBroadcast:
    """A user broadcast as it travels in binary frames: the user payload stays bytes.

    `encoding` says whether `payload` is JSON text (JSON_ENCODING) or opaque bytes
    (BINARY_ENCODING), which only vsn 2.0.0 clients can receive.
    """

    topic: str
    event: str
    payload: bytes
    encoding: int
    meta: dict[str, Any] | None = None
    ref: str | None = None
    join_ref: str | None = None

    def json_payload(self) -> Any:
        return json.loads(self.payload) if self.encoding == JSON_ENCODING else None


def decode_text(text: str, vsn: str) -> Message:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameError(f"not JSON: {error}") from error
    if vsn == VSN_2:
        if not isinstance(data, list) or len(data) != 5:
            raise FrameError("a vsn 2.0.0 frame is a 5-element array")
        join_ref, ref, topic, event, payload = data
    else:
        if not isinstance(data, dict):
            raise FrameError("a vsn 1.0.0 frame is a JSON object")
        join_ref, ref = data.get("join_ref"), data.get("ref")
        topic, event, payload = data.get("topic"), data.get("event"), data.get("payload")
    if not isinstance(topic, str) or not isinstance(event, str):
        raise FrameError("topic and event must be strings")
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise FrameError("payload must be a JSON object")
    return Message(topic, event, payload, _ref(ref), _ref(join_ref))


def _ref(value: object) -> str | None:
    return None if value is None else str(value)


def encode_text(message: Message, vsn: str) -> str:
    if vsn == VSN_2:
        return json.dumps(
            [message.join_ref, message.ref, message.topic, message.event, message.payload]
        )
    return json.dumps(
        {
            "event": message.event,
            "payload": message.payload,
            "topic": message.topic,
            "ref": message.ref,
            "join_ref": message.join_ref,
        }
    )


def decode_binary(frame: bytes) -> UserBroadcast:
    """A kind 3 frame (the only binary frame a client sends)."""
    if len(frame) < 7:
        raise FrameError("binary frame shorter than its header")
    kind, join_ref_len, ref_len, topic_len, event_len, meta_len, encoding = frame[:7]
    if kind != USER_BROADCAST_PUSH:
        raise FrameError(f"unsupported binary frame kind {kind}")
    if encoding not in (BINARY_ENCODING, JSON_ENCODING):
        raise FrameError(f"unknown payload encoding {encoding}")
    offset = 7
    fields: list[str] = []
    for length in (join_ref_len, ref_len, topic_len, event_len, meta_len):
        chunk = frame[offset : offset + length]
        if len(chunk) != length:
            raise FrameError("binary frame truncated")
        fields.append(chunk.decode())
        offset += length
    join_ref, ref, topic, event, meta_text = fields
    meta = json.loads(meta_text) if meta_text else None
    if meta is not None and not isinstance(meta, dict):
        raise FrameError("broadcast metadata must be a JSON object")
    payload = frame[offset:]
    if encoding == JSON_ENCODING:
        try:
            json.loads(payload)
        except json.JSONDecodeError as error:
            raise FrameError(f"JSON-encoded payload is not JSON: {error}") from error
    return UserBroadcast(topic, event, payload, encoding, meta, ref or None, join_ref or None)


def encode_user_broadcast(broadcast: UserBroadcast) -> bytes:
    """A kind 4 frame for a vsn 2.0.0 client."""
    topic = broadcast.topic.encode()
    event = broadcast.event.encode()
    meta = json.dumps(broadcast.meta).encode() if broadcast.meta else b""
    for name, value in (("topic", topic), ("event", event), ("metadata", meta)):
        if len(value) > 255:
            raise FrameError(f"{name} longer than 255 bytes cannot be framed")
    header = bytes([USER_BROADCAST, len(topic), len(event), len(meta), broadcast.encoding])
    return header + topic + event + meta + broadcast.payload


def broadcast_payload(broadcast: UserBroadcast) -> dict[str, Any]:
    """The `broadcast` event payload a JSON client receives, as Supabase Realtime sends it."""
    payload: dict[str, Any] = {
        "type": "broadcast",
        "event": broadcast.event,
        "payload": broadcast.json_payload(),
    }
    if broadcast.meta:
        payload["meta"] = broadcast.meta
    return payload
