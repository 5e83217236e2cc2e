"""The Storage service mounted on the gateway at `/storage/v1`.

Like hosted Supabase (whose gateway leaves storage routes without key-auth), the service checks
the caller's JWT itself; CORS is answered here because browsers call Storage directly.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

from devstack.stack.context import GatewayContext
from devstack.stack.storage.bucket_routes import BucketRoutes
from devstack.stack.storage.errors import (
    StorageError,
    render_database_error,
    render_http_error,
    render_storage_error,
)
from devstack.stack.storage.files import FileStore
from devstack.stack.storage.limits import project_file_size_limit
from devstack.stack.storage.object_routes import ObjectRoutes
from devstack.stack.storage.objects import STORAGE_ITSELF, storage_transaction
from devstack.stack.storage.requests import StorageDeps
from devstack.stack.storage.signed_routes import SignedRoutes
from devstack.stack.storage.transfer_routes import TransferRoutes

log = logging.getLogger("hm.storage")


class StorageService:
    prefix = "/storage/v1"

    def __init__(self, context: GatewayContext) -> None:
        self.pool = context.pool
        self.store = FileStore(context.config.state_dir / "storage")
        deps = StorageDeps(
            pool=context.pool,
            store=self.store,
            jwt_secret=context.config.jwt_secret,
            file_size_limit=project_file_size_limit(),
        )
        app = Starlette(
            # Specific object routes first: `/object/{bucket}/{name}` would match them all.
            routes=[
                *SignedRoutes(deps).routes(),
                *TransferRoutes(deps).routes(),
                *ObjectRoutes(deps).routes(),
                *BucketRoutes(deps).routes(),
            ],
            exception_handlers={
                StorageError: render_storage_error,
                psycopg.Error: render_database_error,
                HTTPException: render_http_error,
                Exception: _internal_error,
            },
        )
        self.app: ASGIApp = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["content-length", "content-type", "etag", "content-disposition"],
        )

    async def startup(self) -> None:
        async with storage_transaction(self.pool, STORAGE_ITSELF) as db:
            live_versions = await db.stored_versions()
        removed = await asyncio.to_thread(self.store.prepare, live_versions)
        if removed:
            log.info("removed %d stored files no object row points at", removed)

    async def shutdown(self) -> None:
        """Nothing to release: the pool belongs to the gateway, the files stay on disk."""


async def _internal_error(request: Request, error: Exception) -> Response:
    log.error("storage request %s %s failed", request.method, request.url.path, exc_info=error)
    return JSONResponse(
        {"statusCode": "500", "error": "Internal", "message": "Internal Server Error"},
        status_code=500,
    )
