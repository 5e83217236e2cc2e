"""`/bucket*`: list, get, create, update, delete and empty buckets, under RLS on storage.buckets.

On Supabase only the service role (which bypasses RLS) manages buckets unless a project adds
policies on `storage.buckets`; the same holds here because every statement runs as the caller.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.stack.storage.caller import Caller, caller_from_request
from devstack.stack.storage.errors import (
    access_denied,
    bad_request,
    bucket_not_empty,
    entity_too_large,
    invalid_mime_type,
    no_such_bucket,
)
from devstack.stack.storage.limits import parse_file_size
from devstack.stack.storage.objects import (
    BUCKET_SORT_COLUMNS,
    BucketQuery,
    Row,
    storage_transaction,
    to_json,
)
from devstack.stack.storage.paths import must_be_valid_bucket_name
from devstack.stack.storage.requests import StorageDeps, json_body, required_string

_MIME_TYPE = re.compile(r"^([a-zA-Z0-9\-+.]+)/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9\-]+)?$|\*$")


class BucketRoutes:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps

    def routes(self) -> list[Route]:
        return [
            Route("/bucket", self.list_buckets, methods=["GET"]),
            Route("/bucket", self.create, methods=["POST"]),
            Route("/bucket/{bucket}/empty", self.empty, methods=["POST"]),
            Route("/bucket/{bucket}", self.get, methods=["GET"]),
            Route("/bucket/{bucket}", self.update, methods=["PUT"]),
            Route("/bucket/{bucket}", self.delete, methods=["DELETE"]),
        ]

    async def list_buckets(self, request: Request) -> Response:
        query = _bucket_query(request)
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            await db.become_caller()
            rows = await db.list_buckets(query)
        return JSONResponse([_bucket_json(row) for row in rows])

    async def get(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            await db.become_caller()
            rows = await db.bucket_rows(bucket_id)
        if not rows:
            raise no_such_bucket()
        return JSONResponse(_bucket_json(rows[0]))

    async def create(self, request: Request) -> Response:
        body = await json_body(request)
        name = must_be_valid_bucket_name(required_string(body, "name"))
        bucket_id = must_be_valid_bucket_name(body.get("id") or name)
        public = body.get("public", False)
        if not isinstance(public, bool):
            raise bad_request("body/public must be boolean")
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            await db.become_caller()
            await db.create_bucket(
                bucket_id,
                name,
                public,
                self._size_limit(body.get("file_size_limit")),
                _mime_types(body.get("allowed_mime_types")),
            )
        return JSONResponse({"name": name})

    async def update(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        body = await json_body(request)
        changes: dict[str, Any] = {}
        if "public" in body:
            if not isinstance(body["public"], bool):
                raise bad_request("body/public must be boolean")
            changes["public"] = body["public"]
        if "file_size_limit" in body:
            changes["file_size_limit"] = self._size_limit(body["file_size_limit"])
        if "allowed_mime_types" in body:
            changes["allowed_mime_types"] = _mime_types(body["allowed_mime_types"])
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            await db.become_caller()
            if not await db.update_bucket(bucket_id, changes):
                raise no_such_bucket()
        return JSONResponse({"message": "Successfully updated"})

    async def delete(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            if await db.bucket(bucket_id) is None:
                raise no_such_bucket()
            if await db.count_objects(bucket_id) > 0:
                raise bucket_not_empty()
            await db.become_caller()
            if not await db.delete_bucket(bucket_id):
                raise no_such_bucket()
        return JSONResponse({"message": "Successfully deleted"})

    async def empty(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        async with storage_transaction(self.deps.pool, self._caller(request)) as db:
            await db.become_caller()
            if not await db.bucket_rows(bucket_id):
                raise no_such_bucket()
            visible = await db.visible_objects(bucket_id)
            deleted = await db.delete_by_ids([row["id"] for row in visible])
            if len(deleted) != len(visible):
                kept = {row["id"] for row in visible} - {row["id"] for row in deleted}
                names = " ,".join(row["name"] for row in visible if row["id"] in kept)
                raise access_denied(
                    f"Cannot delete: {names}, you may have SELECT but not DELETE permissions"
                )
        self.deps.store.discard_versions([(row["bucket_id"], row["version"]) for row in deleted])
        return JSONResponse({"message": "Successfully emptied"})

    def _caller(self, request: Request) -> Caller:
        return caller_from_request(request, self.deps.jwt_secret)

    def _size_limit(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = parse_file_size(value)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad_request("body/file_size_limit must be integer or string")
        if value > self.deps.file_size_limit:
            raise entity_too_large()
        return value


def _bucket_query(request: Request) -> BucketQuery:
    params = request.query_params
    column = params.get("sortColumn", "name")
    order = params.get("sortOrder", "asc")
    if column not in BUCKET_SORT_COLUMNS:
        raise bad_request("querystring/sortColumn must be equal to one of the allowed values")
    if order not in ("asc", "desc"):
        raise bad_request("querystring/sortOrder must be equal to one of the allowed values")
    return BucketQuery(
        limit=_count(params.get("limit"), "limit", minimum=1),
        offset=_count(params.get("offset"), "offset", minimum=0) or 0,
        sort_column=column,
        sort_order=order,
        search=params.get("search", ""),
    )


def _count(value: str | None, name: str, *, minimum: int) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or int(value) < minimum:
        raise bad_request(f"querystring/{name} must be >= {minimum}")
    return int(value)


def _mime_types(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_request("body/allowed_mime_types must be array")
    types = [item for item in value if item]
    for mimetype in types:
        if len(mimetype) > 1000 or not _MIME_TYPE.search(mimetype):
            raise invalid_mime_type(mimetype)
    return types


def _bucket_json(row: Row) -> dict[str, Any]:
    # Storage's response schema turns a null owner into "" (storage3 requires a string).
    return to_json({**row, "owner": str(row["owner"]) if row["owner"] else ""})
