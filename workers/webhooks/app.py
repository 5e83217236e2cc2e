"""FastAPI app for provider webhooks. Order for every request: size limit → signature (403,
nothing written) → payload shape (400) → store raw (idempotent on the provider's id) → process
through SQL. Twilio waits at most 15 s and MailerSend pauses webhooks that fail: answer fast.

Status callbacks and MailerSend events are answered as soon as they are stored and processed
right after, off the request path; inbound texts are processed before answering (the TwiML
reply depends on it). Stores and processing are batched across concurrent requests (one
statement for many events), and a periodic sweep replays whatever a dead server left stored
but unprocessed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from twilio.twiml.messaging_response import MessagingResponse

from workers.batching import Batcher
from workers.media import InboundMediaCopier
from workers.metrics import WEBHOOK_EVENTS, WEBHOOK_LATENCY
from workers.ports import InvalidUnsubscribeToken, WebhookStore
from workers.webhooks.payloads import (
    InvalidPayload,
    MailerSendEvent,
    TwilioInbound,
    TwilioStatus,
    parse,
)
from workers.webhooks.verification import mailersend_is_signed, twilio_is_signed

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than `limit` bytes whether or not Content-Length says so."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


DEFERRED_REPLAY_EVERY_SECONDS = 5
# A copy that failed (or died with its server) is tried again by the sweep after this long.
MEDIA_SWEEP_EVERY_SECONDS = 60

StoredEvent = tuple[str, str, str, dict[str, Any]]


@runtime_checkable
class BatchWebhookStore(Protocol):
    """A store that can store and process many events in one round trip (Postgres transport)."""

    async def store_events(self, events: list[StoredEvent]) -> list[tuple[str, bool]]: ...

    async def process_events(self, event_ids: list[str]) -> list[dict[str, Any]]: ...


async def replay_deferred(store: WebhookStore) -> None:
    """A status callback can overtake the worker's record of the provider id; such events are
    parked as deferred and normally replayed when the id is recorded. This sweep replays any
    left behind (a callback processed while that record was committing), and, with the Postgres
    store, events a dead server stored but never processed, so none stays stuck."""
    while True:
        await asyncio.sleep(DEFERRED_REPLAY_EVERY_SECONDS)
        try:
            for event_id in await store.list_deferred(DEFERRED_REPLAY_EVERY_SECONDS, 200):
                await store.replay_event(event_id)
        except Exception:  # logged; the next sweep tries again
            log.exception("replaying deferred webhook events failed")


def twiml(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return Response(str(response), media_type="application/xml")


def create_app(
    store: WebhookStore | None,
    *,
    twilio_auth_token: str,
    mailersend_secret: str,
    public_url: str,
    max_body_bytes: int = 64 * 1024,
    lifespan_store: Any = None,
    lifespan_media: Any = None,
) -> FastAPI:
    """`store` is used as is; or `lifespan_store` (an async context manager factory) opens one
    on startup, so the server owns its database client. `lifespan_media` (likewise) opens the
    InboundMediaCopier that copies MMS media into Storage; without it media is not copied."""
    public = public_url.rstrip("/")
    holder: dict[str, WebhookStore] = {}
    if store is not None:
        holder["store"] = store
    copiers: dict[str, InboundMediaCopier] = {}
    copying: set[asyncio.Task[list[str]]] = set()
    stop_sweeps = asyncio.Event()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if lifespan_store is not None:
                holder["store"] = await stack.enter_async_context(lifespan_store())
            sweepers = [asyncio.create_task(replay_deferred(holder["store"]))]
            if lifespan_media is not None:
                copiers["media"] = await stack.enter_async_context(lifespan_media())
                sweepers.append(
                    asyncio.create_task(
                        copiers["media"].sweep(MEDIA_SWEEP_EVERY_SECONDS, stop_sweeps)
                    )
                )
            yield
            stop_sweeps.set()
            sweepers[0].cancel()
            await asyncio.gather(*copying, return_exceptions=True)
            await storing.drain()
            await processing.drain()
            await asyncio.gather(*unbatched, return_exceptions=True)
            await asyncio.gather(*sweepers, return_exceptions=True)

    app = FastAPI(
        title="Hello Miami webhooks",
        description="Twilio inbound SMS/MMS and status callbacks; MailerSend activity events.",
        version="1",
        lifespan=lifespan,
    )

    async def store_batch(events: list[StoredEvent]) -> list[tuple[str, bool]]:
        store = holder["store"]
        assert isinstance(store, BatchWebhookStore)
        return await store.store_events(events)

    async def process_batch(event_ids: list[str]) -> list[dict[str, Any]]:
        store = holder["store"]
        assert isinstance(store, BatchWebhookStore)
        return await store.process_events(event_ids)

    # Few flushers: a burst of callbacks cannot take every database connection (the pool has
    # 20; 4 + 8 leave room for inbound texts and the sweep), and what waits joins the next batch.
    storing: Batcher[StoredEvent, tuple[str, bool]] = Batcher(store_batch, flushers=4)
    # Small processing batches: one transaction holds its messages' row locks until it commits,
    # and a worker recording a send of one of them waits that long.
    processing: Batcher[str, dict[str, Any]] = Batcher(process_batch, flushers=8, max_batch=20)

    async def store_event(
        provider: str, event_id: str, event_type: str, payload: dict[str, Any]
    ) -> tuple[str, bool]:
        store = holder["store"]
        if not isinstance(store, BatchWebhookStore):
            # One by one: storing is not idempotent in its answer (a retry says "duplicate").
            return await store.store_event(provider, event_id, event_type, payload)
        return await storing.submit((provider, event_id, event_type, payload))

    def log_failure(future: asyncio.Future[dict[str, Any]]) -> None:
        if not future.cancelled() and future.exception() is not None:
            # Stored raw already: the sweep replays events left unprocessed.
            log.error("processing a webhook event failed", exc_info=future.exception())

    # Without a batch call (REST transport), one task per event, at most 8 calls in flight.
    processing_slots = asyncio.Semaphore(8)
    unbatched: set[asyncio.Task[dict[str, Any]]] = set()

    async def process_unbatched(event_id: str) -> dict[str, Any]:
        async with processing_slots:
            return await holder["store"].process_event(event_id)

    def process_later(event_id: str) -> None:
        if isinstance(holder["store"], BatchWebhookStore):
            processing.submit(event_id).add_done_callback(log_failure)
            return
        task = asyncio.get_running_loop().create_task(process_unbatched(event_id))
        unbatched.add(task)
        task.add_done_callback(unbatched.discard)
        task.add_done_callback(log_failure)

    def log_copy_failure(task: asyncio.Task[list[str]]) -> None:
        if not task.cancelled() and task.exception() is not None:
            # The message names the provider URLs still: the media sweep tries again.
            log.error("copying inbound media failed", exc_info=task.exception())

    def copy_media_later(params: dict[str, str], result: dict[str, Any]) -> None:
        count = int(params["NumMedia"]) if params.get("NumMedia", "").isdigit() else 0
        urls = [params[f"MediaUrl{i}"] for i in range(count) if params.get(f"MediaUrl{i}")]
        if "media" not in copiers or not urls or not result.get("message_id"):
            return
        task = asyncio.get_running_loop().create_task(
            copiers["media"].copy(str(result["message_id"]), urls)
        )
        copying.add(task)
        task.add_done_callback(copying.discard)
        task.add_done_callback(log_copy_failure)

    async def twilio_params(request: Request, path: str) -> dict[str, str] | Response:
        body = await read_body(request, max_body_bytes)
        params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        url = public + path + (f"?{request.url.query}" if request.url.query else "")
        signature = request.headers.get("x-twilio-signature")
        if not twilio_is_signed(twilio_auth_token, url, params, signature):
            WEBHOOK_EVENTS.labels("twilio", "forbidden").inc()
            log.warning("twilio webhook with a bad signature for %s", url)
            return PlainTextResponse("invalid signature", status_code=403)
        return params

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return PlainTextResponse("payload too large", status_code=413)

    @app.exception_handler(InvalidPayload)
    async def invalid(request: Request, exc: InvalidPayload) -> Response:
        WEBHOOK_EVENTS.labels("any", "invalid").inc()
        return JSONResponse({"error": "invalid payload", "detail": str(exc)}, status_code=400)

    @app.post("/twilio/inbound", summary="Twilio inbound SMS/MMS (answers with TwiML)")
    async def twilio_inbound(request: Request) -> Response:
        started = time.perf_counter()
        params = await twilio_params(request, "/twilio/inbound")
        if isinstance(params, Response):
            return params
        inbound = parse(TwilioInbound, params)
        event_id, duplicate = await store_event("twilio", inbound.MessageSid, "sms_inbound", params)
        if duplicate:
            # Already answered once (Twilio retries): no second reply, no second processing.
            WEBHOOK_EVENTS.labels("twilio", "duplicate").inc()
            return twiml(None)
        result = await holder["store"].process_event(event_id)
        # Off the request path: the TwiML answer does not wait for the pictures.
        copy_media_later(params, result)
        WEBHOOK_EVENTS.labels("twilio", "inbound").inc()
        WEBHOOK_LATENCY.labels("twilio").observe(time.perf_counter() - started)
        return twiml(result.get("reply"))

    @app.post("/twilio/status", summary="Twilio message status callback", status_code=204)
    async def twilio_status(request: Request) -> Response:
        started = time.perf_counter()
        params = await twilio_params(request, "/twilio/status")
        if isinstance(params, Response):
            return params
        status = parse(TwilioStatus, params)
        payload: dict[str, Any] = dict(params)
        if request.query_params.get("message_id"):
            payload["message_id"] = request.query_params["message_id"]
        key = f"{status.MessageSid}:{status.MessageStatus}"
        event_id, duplicate = await store_event("twilio", key, "sms_status", payload)
        WEBHOOK_EVENTS.labels("twilio", "duplicate" if duplicate else "status").inc()
        if not duplicate:
            process_later(event_id)
        WEBHOOK_LATENCY.labels("twilio").observe(time.perf_counter() - started)
        return Response(status_code=204)

    @app.post("/mailersend/events", summary="MailerSend activity webhook")
    async def mailersend_events(request: Request) -> Response:
        started = time.perf_counter()
        body = await read_body(request, max_body_bytes)
        if not mailersend_is_signed(mailersend_secret, body, request.headers.get("signature")):
            WEBHOOK_EVENTS.labels("mailersend", "forbidden").inc()
            return PlainTextResponse("invalid signature", status_code=403)
        try:
            data = json.loads(body)
        except ValueError as error:
            raise InvalidPayload("body is not JSON") from error
        event = parse(MailerSendEvent, data)
        if not event.event_id:
            raise InvalidPayload("data.id is missing")
        event_id, duplicate = await store_event("mailersend", event.event_id, "email_event", data)
        WEBHOOK_EVENTS.labels("mailersend", "duplicate" if duplicate else "event").inc()
        if not duplicate:
            process_later(event_id)
        WEBHOOK_LATENCY.labels("mailersend").observe(time.perf_counter() - started)
        return JSONResponse({"received": True, "duplicate": duplicate})

    @app.post(
        "/unsubscribe",
        summary="One-click unsubscribe (RFC 8058): the List-Unsubscribe URL of marketing email",
    )
    async def one_click_unsubscribe(request: Request, t: str = "") -> Response:
        # Mail clients POST `List-Unsubscribe=One-Click` to the header's URL; the signed token
        # in the URL is the credential, checked (signature, expiry) by the database.
        body = await read_body(request, max_body_bytes)
        if ("List-Unsubscribe", "One-Click") not in parse_qsl(body.decode("utf-8", "replace")):
            WEBHOOK_EVENTS.labels("unsubscribe", "invalid").inc()
            return JSONResponse({"error": "not_one_click"}, status_code=400)
        try:
            changed = await holder["store"].one_click_unsubscribe(t)
        except InvalidUnsubscribeToken as error:
            WEBHOOK_EVENTS.labels("unsubscribe", "refused").inc()
            return JSONResponse({"error": error.code}, status_code=400)
        WEBHOOK_EVENTS.labels("unsubscribe", "event").inc()
        return JSONResponse({"unsubscribed": True, "changed": changed})

    @app.get("/health", summary="Liveness")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
