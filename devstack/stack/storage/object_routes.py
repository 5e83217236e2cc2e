"""`/object/*`: upload, update, download (authenticated and public), info, list and remove.

Signed URLs live in `signed_routes`, move and copy in `transfer_routes`; all uploads go through
`writes.ObjectWriter`. Bytes of removed objects are deleted only after the removal commits.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.stack.storage.caller import Caller, caller_from_request
from devstack.stack.storage.downloads import serve_object
from devstack.stack.storage.errors import bad_request, no_such_key
from devstack.stack.storage.listing import ListRequest, folder_level
from devstack.stack.storage.objects import (
    Row,
    public_object,
    storage_transaction,
    to_json,
    visible_object,
)
from devstack.stack.storage.paths import must_be_valid_bucket_name
from devstack.stack.storage.requests import StorageDeps, json_body, object_address
from devstack.stack.storage.writes import ObjectWriter


class ObjectRoutes:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps
        self.writer = ObjectWriter(deps)

    def routes(self) -> list[Route]:
        name = "{bucket}/{name:path}"
        return [
            Route("/object/list/{bucket}", self.list_objects, methods=["POST"]),
            Route(f"/object/public/{name}", self.download_public, methods=["GET"]),
            Route(f"/object/authenticated/{name}", self.download, methods=["GET"]),
            Route(f"/object/info/public/{name}", self.info_public, methods=["GET"]),
            Route(f"/object/info/authenticated/{name}", self.info, methods=["GET"]),
            Route(f"/object/info/{name}", self.info, methods=["GET"]),
            Route(f"/object/{name}", self.download, methods=["GET"]),
            Route(f"/object/{name}", self.upload, methods=["POST"]),
            Route(f"/object/{name}", self.update, methods=["PUT"]),
            Route(f"/object/{name}", self.remove_one, methods=["DELETE"]),
            Route("/object/{bucket}", self.remove, methods=["DELETE"]),
        ]

    def caller(self, request: Request) -> Caller:
        return caller_from_request(request, self.deps.jwt_secret)

    # --- upload ---------------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        upsert = request.headers.get("x-upsert") == "true"
        caller = self.caller(request)
        object_id = await self.writer.store(request, caller, bucket_id, name, upsert=upsert)
        return JSONResponse({"Id": str(object_id), "Key": f"{bucket_id}/{name}"})

    async def update(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        caller = self.caller(request)
        object_id = await self.writer.store(request, caller, bucket_id, name, upsert=True)
        return JSONResponse({"Id": str(object_id), "Key": f"{bucket_id}/{name}"})

    # --- download -------------------------------------------------------------------------------

    async def download(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await visible_object(self.deps.pool, self.caller(request), bucket_id, name)
        return serve_object(request, self.deps.store, row)

    async def download_public(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await public_object(self.deps.pool, bucket_id, name)
        return serve_object(request, self.deps.store, row)

    async def info(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await visible_object(self.deps.pool, self.caller(request), bucket_id, name)
        return JSONResponse(_info(row))

    async def info_public(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await public_object(self.deps.pool, bucket_id, name)
        return JSONResponse(_info(row))

    # --- list, remove ---------------------------------------------------------------------------

    async def list_objects(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        listing = ListRequest.from_body(await json_body(request))
        async with storage_transaction(self.deps.pool, self.caller(request)) as db:
            await db.become_caller()
            rows = await db.objects_under(bucket_id, listing.prefix + listing.search)
        return JSONResponse([to_json(entry) for entry in folder_level(rows, listing)])

    async def remove(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        prefixes = (await json_body(request)).get("prefixes")
        if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
            raise bad_request("body must have required property 'prefixes'")
        if not prefixes:
            raise bad_request("body/prefixes must NOT have fewer than 1 items")
        deleted = await self._delete(self.caller(request), bucket_id, prefixes)
        return JSONResponse([to_json(row) for row in deleted])

    async def remove_one(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        if not await self._delete(self.caller(request), bucket_id, [name]):
            raise no_such_key()
        return JSONResponse({"message": "Successfully deleted"})

    async def _delete(self, caller: Caller, bucket_id: str, names: list[str]) -> list[Row]:
        async with storage_transaction(self.deps.pool, caller) as db:
            await db.become_caller()
            deleted = await db.delete_objects(bucket_id, names)
        self.deps.store.discard_versions([(bucket_id, row["version"]) for row in deleted])
        return deleted


def _info(row: Row) -> dict[str, Any]:
    """`GET /object/info/…` (Storage's InfoRenderer)."""
    metadata: dict[str, Any] = row["metadata"] or {}
    return to_json(
        {
            "id": row["id"],
            "name": row["name"],
            "version": row["version"],
            "bucket_id": row["bucket_id"],
            "size": metadata.get("size"),
            "content_type": metadata.get("mimetype"),
            "cache_control": metadata.get("cacheControl"),
            "etag": metadata.get("eTag"),
            "metadata": row["user_metadata"],
            "last_modified": row["updated_at"],
            "created_at": row["created_at"],
        }
    )
