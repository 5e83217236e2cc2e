"""Assemble the worker and the webhook server from settings, and run them until signalled."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import AsyncIterator, Iterator

import aiohttp
import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from supabase import AsyncClient, AsyncClientOptions, acreate_client

from hm.errors import HmError
from workers.automations import AutomationRunner
from workers.blast_winners import SupabaseWinnerStore, WinnerRunner
from workers.channels import claimed_channels, mailersend_sender, open_channels, service_endpoints
from workers.dashboard_fold import DashboardFolder, SupabaseFoldStore
from workers.gdpr_erasure import (
    ErasureWorker,
    SupabaseErasureStore,
    SupabaseLogins,
    SupabaseStorageFiles,
)
from workers.heartbeat import Heartbeat, ProcessStatus, SupabaseHeartbeatStore
from workers.import_runner import ImportRunner, SupabaseImportStore
from workers.invitations import InvitationSender, SupabaseInvitationStore, SupabaseStaffLogins
from workers.loop import LoopSettings, WorkerLoop
from workers.media import InboundMediaCopier, MediaStorage
from workers.outbox_batches import BatchedOutbox
from workers.outbox_store import SupabaseOutboxStore
from workers.ports import Channel
from workers.postgres_store import PostgresOutboxStore
from workers.realtime_wake import RealtimeWake
from workers.resolution import AmbiguousSendResolver
from workers.settings import WorkerSettings
from workers.station_logins import StationLoginLocker, SupabaseLoginBans, SupabaseLoginLockStore
from workers.station_pairing import StationPairer, SupabasePairingStore, SupabaseStationLogins
from workers.webhooks.app import create_app


async def service_client(settings: WorkerSettings) -> AsyncClient:
    """supabase-py as service_role: the SQL functions are granted to it only."""
    options = AsyncClientOptions(auto_refresh_token=False, persist_session=False)
    return await acreate_client(
        settings.supabase_url, settings.supabase_service_role_key.get_secret_value(), options
    )


class EmbeddedServer(uvicorn.Server):
    """uvicorn inside the worker's event loop; the worker owns SIGTERM/SIGINT, not uvicorn."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def health_app(loop: WorkerLoop) -> FastAPI:
    app = FastAPI(title="Hello Miami worker", docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {"status": "ok", "worker_id": loop.settings.worker_id, "in_flight": len(loop.tasks)}

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app


# Deliveries share batch statements (2 + 2 flushers), plus the claim, the resolver and the odd
# failure recorded on its own: a few connections serve any concurrency.
WORKER_DB_CONNECTIONS = 8


@contextlib.asynccontextmanager
async def open_store(
    settings: WorkerSettings, client: AsyncClient, pool_size: int
) -> AsyncIterator[SupabaseOutboxStore | PostgresOutboxStore]:
    """The store over the configured transport (see WorkerSettings.outbox_transport)."""
    if settings.outbox_transport == "rest":
        yield SupabaseOutboxStore(client)
        return
    url = settings.supabase_db_url.get_secret_value()
    if not url:
        raise HmError("OUTBOX_TRANSPORT=postgres needs SUPABASE_DB_URL")
    async with PostgresOutboxStore.open_pool(url, pool_size) as pool:
        yield PostgresOutboxStore(pool)


async def run_worker(settings: WorkerSettings) -> None:
    """`hm worker run`: claim and deliver until SIGTERM/SIGINT, then finish what is in flight."""
    worker_id = settings.worker_id or f"{socket.gethostname()}-{os.getpid()}"
    client = await service_client(settings)
    # One connection per delivery in flight; the resolver's lookups take their turn.
    connector = aiohttp.TCPConnector(limit=settings.worker_concurrency * 2)
    async with (
        open_store(settings, client, WORKER_DB_CONNECTIONS) as store,
        aiohttp.ClientSession(connector=connector) as http,
    ):
        # Deliveries' per-message calls share batch statements (see outbox_batches).
        outbox = BatchedOutbox(store, worker_id)
        async with open_channels(settings, outbox, http) as known:
            await _run_loop(settings, worker_id, client, store, known)


async def _run_loop(
    settings: WorkerSettings,
    worker_id: str,
    client: AsyncClient,
    store: SupabaseOutboxStore | PostgresOutboxStore,
    known: dict[str, Channel],
) -> None:
    claimed = claimed_channels(settings.worker_channels, known)
    loop = WorkerLoop(
        LoopSettings(
            worker_id=worker_id,
            channels=tuple(claimed),
            batch_size=settings.worker_batch_size,
            lease_seconds=settings.worker_lease_seconds,
            poll_interval=settings.worker_poll_interval_seconds,
            concurrency=settings.worker_concurrency,
            clock_offset_seconds=settings.worker_clock_offset_seconds,
        ),
        store,
        claimed,
        AmbiguousSendResolver(store, known, settings.worker_ambiguous_after_seconds),
    )
    running = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        running.add_signal_handler(signum, loop.stop.set)
    wake = RealtimeWake(client, loop.wake)
    heartbeats = SupabaseHeartbeatStore(client)
    # Beats go on while in-flight sends drain; the clean stop is recorded once the loop is done.
    finished = asyncio.Event()
    worker_heartbeat = Heartbeat(
        heartbeats,
        worker_id,
        "worker",
        lambda: ProcessStatus(loop.last_claim_at, len(loop.tasks)),
        settings.worker_heartbeat_seconds,
    )
    helpers = [
        asyncio.create_task(wake.run(loop.stop)),
        asyncio.create_task(worker_heartbeat.run(finished)),
        asyncio.create_task(ImportRunner(SupabaseImportStore(client)).run(loop.stop)),
    ]
    if settings.worker_automations_interval_seconds > 0:
        automations = AutomationRunner(store, settings.worker_automations_interval_seconds)
        automations_heartbeat = Heartbeat(
            heartbeats,
            f"{worker_id}/automations",
            "automations",
            lambda: ProcessStatus(automations.last_run_at),
            settings.worker_heartbeat_seconds,
        )
        helpers.append(asyncio.create_task(automations.run(loop.stop)))
        helpers.append(asyncio.create_task(automations_heartbeat.run(finished)))
        # A/B winners are due on the same minute clock as automations.
        winners = WinnerRunner(
            SupabaseWinnerStore(client), settings.worker_automations_interval_seconds
        )
        helpers.append(asyncio.create_task(winners.run(loop.stop)))
    if settings.worker_dashboard_fold_interval_seconds > 0:
        folder = DashboardFolder(
            SupabaseFoldStore(client), settings.worker_dashboard_fold_interval_seconds
        )
        helpers.append(asyncio.create_task(folder.run(loop.stop)))
    if settings.worker_erasure_interval_seconds > 0:
        erasures = ErasureWorker(
            SupabaseErasureStore(client),
            SupabaseStorageFiles(client),
            SupabaseLogins(client),
            settings.worker_erasure_interval_seconds,
        )
        helpers.append(asyncio.create_task(erasures.run(loop.stop)))
    pairer = StationPairer(
        SupabasePairingStore(client),
        SupabaseStationLogins(client),
        settings.worker_poll_interval_seconds,
    )
    helpers.append(asyncio.create_task(pairer.run(loop.stop)))
    # Its own (slower) poll: stations are disabled rarely, and seconds do not matter.
    login_locker = StationLoginLocker(SupabaseLoginLockStore(client), SupabaseLoginBans(client))
    helpers.append(asyncio.create_task(login_locker.run(loop.stop)))
    invitation_email = mailersend_sender(settings) if "email" in claimed else None
    if invitation_email is not None:
        invitations = InvitationSender(
            SupabaseInvitationStore(client),
            SupabaseStaffLogins(client),
            invitation_email,
            settings.app_public_url,
            settings.worker_poll_interval_seconds,
        )
        helpers.append(asyncio.create_task(invitations.run(loop.stop)))
    if settings.worker_metrics_port:
        server = EmbeddedServer(
            uvicorn.Config(
                health_app(loop),
                host="127.0.0.1",
                port=settings.worker_metrics_port,
                log_level="warning",
            )
        )
        helpers.append(asyncio.create_task(server.serve()))
    try:
        await loop.run()
    finally:
        finished.set()
        if settings.worker_metrics_port:
            server.should_exit = True
        await asyncio.gather(*helpers, return_exceptions=True)
        if invitation_email is not None:
            await invitation_email.close()


def webhook_app(settings: WorkerSettings) -> FastAPI:
    """The webhook server's app; it opens its own service-role client on startup."""
    settings = settings.for_webhook_server()

    @contextlib.asynccontextmanager
    async def store_for_app() -> AsyncIterator[SupabaseOutboxStore | PostgresOutboxStore]:
        client = await service_client(settings)
        process_id = f"{socket.gethostname()}-{os.getpid()}/webhooks"
        heartbeat = Heartbeat(
            SupabaseHeartbeatStore(client),
            process_id,
            "webhook_server",
            interval_seconds=settings.worker_heartbeat_seconds,
        )
        stopping = asyncio.Event()
        beating = asyncio.create_task(heartbeat.run(stopping))
        try:
            async with open_store(settings, client, 20) as store:
                yield store
        finally:
            stopping.set()
            await beating

    @contextlib.asynccontextmanager
    async def media_for_app() -> AsyncIterator[InboundMediaCopier]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            storage = MediaStorage(http, service_endpoints(settings))
            yield InboundMediaCopier(
                http,
                storage,
                settings.twilio_account_sid,
                settings.twilio_auth_token.get_secret_value(),
            )

    return create_app(
        None,
        twilio_auth_token=settings.twilio_auth_token.get_secret_value(),
        mailersend_secret=settings.mailersend_webhook_secret.get_secret_value(),
        public_url=settings.webhook_public_url,
        max_body_bytes=settings.webhook_max_body_bytes,
        lifespan_store=store_for_app,
        lifespan_media=media_for_app,
    )


def serve_webhooks(settings: WorkerSettings) -> None:
    """`hm webhook serve`."""
    if settings.webhook_processes > 1:
        uvicorn.run(
            "workers.webhooks.server:app_from_environment",
            factory=True,
            workers=settings.webhook_processes,
            host=settings.webhook_host,
            port=settings.webhook_port,
            log_level="warning",
            access_log=False,
        )
        return
    uvicorn.run(
        webhook_app(settings),
        host=settings.webhook_host,
        port=settings.webhook_port,
        log_level="warning",
        access_log=False,
    )
