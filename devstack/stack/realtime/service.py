"""The Realtime service on the gateway: `/realtime/v1/websocket` and the HTTP broadcast API."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from devstack.stack.api_keys import ApiKeyCheck
from devstack.stack.context import GatewayContext
from devstack.stack.realtime.channels import ClientConnection
from devstack.stack.realtime.dispatch import ChangeDispatcher
from devstack.stack.realtime.hub import TOPIC_PREFIX, Hub
from devstack.stack.realtime.serializer import (
    BINARY_ENCODING,
    JSON_ENCODING,
    SUPPORTED_VSNS,
    VSN_1,
    UserBroadcast,
)
from devstack.stack.realtime.wal import WalReader

log = logging.getLogger("hm.realtime")


class RealtimeService:
    """Supabase Realtime's client-facing contract, mounted at `/realtime/v1`."""

    prefix = "/realtime/v1"

    def __init__(self, context: GatewayContext, keys: ApiKeyCheck) -> None:
        self.keys = keys
        self.hub = Hub(context.pool, context.config.jwt_secret)
        self.wal = WalReader(context.pool, ChangeDispatcher(context.pool, self.hub))
        self.hub.on_listening = self.wal.set_listening
        self.app = Starlette(
            # Browsers call the broadcast API directly (supabase-js's httpSend), like on Supabase.
            middleware=[
                Middleware(
                    CORSMiddleware,
                    allow_origins=["*"],
                    allow_methods=["POST", "OPTIONS"],
                    allow_headers=["*"],
                )
            ],
            routes=[
                WebSocketRoute("/websocket", self.websocket),
                Route("/api/broadcast", self.broadcast_messages, methods=["POST"]),
                Route(
                    "/api/broadcast/{topic}/events/{event}",
                    self.broadcast_one,
                    methods=["POST"],
                ),
            ],
        )

    async def startup(self) -> None:
        await self.wal.start()

    async def shutdown(self) -> None:
        await self.wal.stop()

    async def websocket(self, websocket: WebSocket) -> None:
        if refusal := self.keys.refusal(websocket):
            await websocket.send_denial_response(refusal)
            return
        vsn = websocket.query_params.get("vsn", VSN_1)
        if vsn not in SUPPORTED_VSNS:
            await websocket.send_denial_response(
                JSONResponse({"message": f"unsupported vsn {vsn}"}, status_code=400)
            )
            return
        await websocket.accept()
        outbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        api_key = websocket.query_params.get("apikey") or websocket.headers.get("apikey", "")
        connection = ClientConnection(self.hub, outbox, vsn, api_key)
        writer = asyncio.create_task(_write(websocket, outbox))
        try:
            while True:
                frame = await websocket.receive()
                if frame["type"] == "websocket.disconnect":
                    break
                if frame.get("text") is not None:
                    await connection.receive_text(frame["text"])
                elif frame.get("bytes") is not None:
                    connection.receive_binary(frame["bytes"])
        finally:
            connection.close()
            await writer

    async def broadcast_messages(self, request: Request) -> Response:
        """`POST /api/broadcast` `{messages: [{topic, event, payload, private}]}` → 202."""
        if refusal := self.keys.refusal(request):
            return refusal
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _unprocessable("body must be JSON")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not messages:
            return _unprocessable("messages: can't be blank")
        for message in messages:
            if not (
                isinstance(message, dict)
                and isinstance(message.get("topic"), str)
                and isinstance(message.get("event"), str)
            ):
                return _unprocessable("each message needs a string topic and event")
        for message in messages:
            if message.get("private"):
                # Private topics need RLS on realtime.messages, which this stack has none of:
                # like Supabase without a policy, the message reaches nobody.
                continue
            payload = _json_bytes(message.get("payload"))
            self._publish(message["topic"], message["event"], payload, JSON_ENCODING)
        return Response(status_code=202)

    async def broadcast_one(self, request: Request) -> Response:
        """`POST /api/broadcast/{topic}/events/{event}` with the payload as the body → 202."""
        if refusal := self.keys.refusal(request):
            return refusal
        body = await request.body()
        binary = request.headers.get("content-type", "").startswith("application/octet-stream")
        if not binary:
            try:
                json.loads(body)
            except json.JSONDecodeError:
                return _unprocessable("payload must be JSON (or sent as application/octet-stream)")
        if request.query_params.get("private") != "true":
            encoding = BINARY_ENCODING if binary else JSON_ENCODING
            topic = request.path_params["topic"]
            self._publish(topic, request.path_params["event"], body, encoding)
        return Response(status_code=202)

    def _publish(self, sub_topic: str, event: str, payload: bytes, encoding: int) -> None:
        broadcast = UserBroadcast(TOPIC_PREFIX + sub_topic, event, payload, encoding)
        self.hub.broadcast(broadcast, origin=None)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


def _unprocessable(reason: str) -> JSONResponse:
    return JSONResponse({"message": reason}, status_code=422)


async def _write(websocket: WebSocket, outbox: asyncio.Queue[str | bytes | None]) -> None:
    """Send queued frames in order, so a slow client never stalls the dispatcher."""
    try:
        while (frame := await outbox.get()) is not None:
            if isinstance(frame, bytes):
                await websocket.send_bytes(frame)
            else:
                await websocket.send_text(frame)
        await websocket.close()
    except (WebSocketDisconnect, RuntimeError) as error:
        # The client went away mid-send; its reader sees the disconnect and cleans up.
        log.debug("websocket closed while sending: %s", error)
