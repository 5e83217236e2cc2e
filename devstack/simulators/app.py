"""The simulator's ASGI app: Twilio + MailerSend APIs, control endpoints and the web page."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.simulators import control, mailersend_api, page, twilio_api
from devstack.simulators.callbacks import WebhookSender
from devstack.simulators.config import SimulatorConfig
from devstack.simulators.state import SimulatorState


class BackgroundTasks:
    """Keeps a reference to each fire-and-forget task so none is garbage-collected mid-flight."""

    def __init__(self) -> None:
        self.running: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def cancel_all(self) -> None:
        for task in self.running:
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(config: SimulatorConfig | None = None) -> Starlette:
    state = SimulatorState(config=config or SimulatorConfig())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        async with httpx.AsyncClient(timeout=15.0, limits=limits) as client:
            app.state.webhooks = WebhookSender(state, client)
            yield
            await app.state.tasks.cancel_all()

    app = Starlette(
        routes=[
            Route("/health", health),
            *twilio_api.routes,
            *mailersend_api.routes,
            *control.routes,
            *page.routes,
        ],
        lifespan=lifespan,
    )
    app.state.sim = state
    app.state.tasks = BackgroundTasks()
    return app
