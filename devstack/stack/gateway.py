"""The one HTTP entry point of the local stack, on the port hosted Supabase's API URL maps to.

Run as `python -m devstack.stack.gateway STACK_JSON`. It serves `/rest/v1` (proxied to PostgREST),
`/health`, and the services registered in `SERVICES` under their own prefixes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from devstack.stack.api_keys import ApiKeyCheck
from devstack.stack.auth import AuthService
from devstack.stack.config import StackConfig
from devstack.stack.context import GatewayContext, GatewayService, load_config
from devstack.stack.realtime.service import RealtimeService
from devstack.stack.rest_proxy import RestProxy
from devstack.stack.storage.service import StorageService

log = logging.getLogger("hm.gateway")


def build_services(context: GatewayContext, keys: ApiKeyCheck) -> list[GatewayService]:
    """Auth, Realtime and Storage, each mounted under its Supabase prefix."""
    services: list[GatewayService] = []
    services.append(StorageService(context))
    services.append(AuthService(context, keys))
    services.append(RealtimeService(context, keys))
    return services


def create_app(config: StackConfig) -> Starlette:
    keys = ApiKeyCheck(config.anon_key, config.service_role_key)
    rest = RestProxy(config.rest_url, keys)
    pool = AsyncConnectionPool(config.db_url(), min_size=1, max_size=20, open=False)
    context = GatewayContext(config=config, pool=pool)
    services = build_services(context, keys)

    async def health(request: Request) -> JSONResponse:
        del request
        try:
            async with pool.connection() as conn:
                await conn.execute("select 1")
            database = "ok"
        except Exception as error:  # reported, not hidden: health is exactly where it belongs
            database = f"error: {error}"
        try:
            response = await rest.client.get(f"http://127.0.0.1:{config.rest_admin_port}/ready")
            postgrest = "ok" if response.status_code == 200 else f"status {response.status_code}"
        except Exception as error:
            postgrest = f"error: {error}"
        healthy = database == "ok" and postgrest == "ok"
        return JSONResponse(
            {"status": "ok" if healthy else "degraded", "database": database, "rest": postgrest},
            status_code=200 if healthy else 503,
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        del app
        await pool.open(wait=True)
        for service in services:
            await service.startup()
        try:
            yield
        finally:
            for service in reversed(services):
                await service.shutdown()
            await rest.aclose()
            await pool.close()

    routes = [
        Route("/health", health, methods=["GET"]),
        Route(
            "/rest/v1/{path:path}",
            rest.handle,
            methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        ),
        *(Mount(service.prefix, app=service.app) for service in services),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = load_config(Path(sys.argv[1]))
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            host="127.0.0.1",
            port=config.api_port,
            log_level="warning",
            lifespan="on",
            ws="websockets-sansio",
        )
    )
    asyncio.run(server.serve())


if __name__ == "__main__":
    main()
