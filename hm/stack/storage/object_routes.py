"""`/object/*`: upload, update, download, public and signed access, list, remove, move, copy, info.

Each handler runs one `storage_transaction`; bytes are published inside it and withdrawn if it
fails, and the bytes of replaced or removed versions are deleted only after it commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hm.stack.storage.caller import Caller, caller_from_request
from hm.stack.storage.downloads import serve_object
from hm.stack.storage.errors import bad_request, no_such_bucket, no_such_key
from hm.stack.storage.listing import ListRequest, folder_level
from hm.stack.storage.objects import Bucket, Row, StorageDb, storage_transaction, to_json
from hm.stack.storage.paths import must_be_valid_bucket_name, must_be_valid_key
from hm.stack.storage.requests import (
    StorageDeps,
    expires_in,
    json_body,
    object_address,
    required_string,
)
from hm.stack.storage.signing import (
    sign_object_url,
    sign_upload_url,
    verify_signed_url,
    verify_upload_url,
)
from hm.stack.storage.uploads import (
    IncomingFile,
    check_mime_type,
    is_empty_folder_placeholder,
    receive_file,
)

# Lookups Storage makes as itself (public buckets, signed URLs) never switch to a caller.
STORAGE_ITSELF = Caller(role="service_role", claims={"role": "service_role"})


class ObjectRoutes:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps

    def routes(self) -> list[Route]:
        name = "{bucket}/{name:path}"
        return [
            Route("/object/list/{bucket}", self.list_objects, methods=["POST"]),
            Route("/object/move", self.move, methods=["POST"]),
            Route("/object/copy", self.copy, methods=["POST"]),
            Route(f"/object/upload/sign/{name}", self.sign_upload, methods=["POST"]),
            Route(f"/object/upload/sign/{name}", self.upload_signed, methods=["PUT"]),
            Route(f"/object/sign/{name}", self.sign, methods=["POST"]),
            Route("/object/sign/{bucket}", self.sign_many, methods=["POST"]),
            Route(f"/object/sign/{name}", self.download_signed, methods=["GET"]),
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
        object_id = await self._store(request, self.caller(request), bucket_id, name, upsert=upsert)
        return JSONResponse({"Id": str(object_id), "Key": f"{bucket_id}/{name}"})

    async def update(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        object_id = await self._store(request, self.caller(request), bucket_id, name, upsert=True)
        return JSONResponse({"Id": str(object_id), "Key": f"{bucket_id}/{name}"})

    async def sign_upload(self, request: Request) -> Response:
        """A URL that lets its holder upload this one object later, checked against RLS now."""
        bucket_id, name = object_address(request)
        caller = self.caller(request)
        upsert = request.headers.get("x-upsert") == "true"
        async with storage_transaction(self.deps.pool, caller) as db:
            await db.become_caller()
            await db.can_write(bucket_id, name, upsert=upsert)
        url, token = sign_upload_url(self.deps.jwt_secret, bucket_id, name, caller.owner_id, upsert)
        return JSONResponse({"url": url, "token": token})

    async def upload_signed(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        token = request.query_params.get("token")
        if token is None:
            raise bad_request("querystring must have required property 'token'")
        grant = verify_upload_url(self.deps.jwt_secret, token, bucket_id, name)
        # As Storage does, the write happens as Storage itself, for the owner the URL names.
        claims: dict[str, Any] = {"role": "service_role"}
        if grant.owner:
            claims["sub"] = grant.owner
        uploader = Caller(role="service_role", claims=claims)
        await self._store(request, uploader, bucket_id, name, upsert=grant.upsert, as_caller=False)
        return JSONResponse({"Key": f"{bucket_id}/{name}"})

    async def _store(
        self,
        request: Request,
        caller: Caller,
        bucket_id: str,
        name: str,
        *,
        upsert: bool,
        as_caller: bool = True,
    ) -> uuid.UUID:
        version = str(uuid.uuid4())
        published: Path | None = None
        replaced: list[tuple[str, str | None]] = []
        try:
            async with storage_transaction(self.deps.pool, caller) as db:
                bucket = await db.bucket(bucket_id)
                if bucket is None:
                    raise no_such_bucket()
                if upsert and (previous := await db.find_object(bucket_id, name)):
                    replaced.append((bucket_id, previous["version"]))
                if as_caller:
                    await db.become_caller()
                # The caller's right to write is settled before any byte is read, as Storage does.
                write = db.upsert_object if upsert else db.insert_object
                object_id = await write(bucket_id, name, version)
                incoming = await receive_file(request, self.deps.store, self._limit(bucket, name))
                try:
                    if bucket.allowed_mime_types and not is_empty_folder_placeholder(name):
                        check_mime_type(incoming.mimetype, bucket.allowed_mime_types)
                    await db.become_storage()
                    await db.set_content(object_id, _content(incoming), incoming.user_metadata)
                    published = self.deps.store.publish(incoming.staged, bucket_id, version)
                finally:
                    self.deps.store.discard(incoming.staged.path)
        except BaseException:
            if published is not None:
                self.deps.store.discard(published)
            raise
        self.deps.store.discard_versions(replaced)
        return object_id

    def _limit(self, bucket: Bucket, name: str) -> int:
        if is_empty_folder_placeholder(name):
            return 0
        if bucket.file_size_limit is not None:
            return min(bucket.file_size_limit, self.deps.file_size_limit)
        return self.deps.file_size_limit

    # --- download -------------------------------------------------------------------------------

    async def download(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await self._visible_object(self.caller(request), bucket_id, name)
        return serve_object(request, self.deps.store, row)

    async def download_public(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        async with storage_transaction(self.deps.pool, STORAGE_ITSELF) as db:
            bucket = await db.bucket(bucket_id)
            if bucket is None or not bucket.public:
                raise no_such_bucket()
            row = await db.find_object(bucket_id, name)
        if row is None:
            raise no_such_key()
        return serve_object(request, self.deps.store, row)

    async def download_signed(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        token = request.query_params.get("token")
        if token is None:
            raise bad_request("querystring must have required property 'token'")
        expires_at = verify_signed_url(self.deps.jwt_secret, token, bucket_id, name)
        async with storage_transaction(self.deps.pool, STORAGE_ITSELF) as db:
            row = await db.find_object(bucket_id, name)
        if row is None:
            raise no_such_key()
        expires = formatdate(expires_at, usegmt=True)
        return serve_object(request, self.deps.store, row, expires=expires)

    async def info(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        row = await self._visible_object(self.caller(request), bucket_id, name)
        return JSONResponse(_info(row))

    async def info_public(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        async with storage_transaction(self.deps.pool, STORAGE_ITSELF) as db:
            bucket = await db.bucket(bucket_id)
            if bucket is None or not bucket.public:
                raise no_such_bucket()
            row = await db.find_object(bucket_id, name)
        if row is None:
            raise no_such_key()
        return JSONResponse(_info(row))

    async def _visible_object(self, caller: Caller, bucket_id: str, name: str) -> Row:
        async with storage_transaction(self.deps.pool, caller) as db:
            await db.become_caller()
            row = await db.find_object(bucket_id, name)
        if row is None:
            raise no_such_key()
        return row

    # --- signed URLs ----------------------------------------------------------------------------

    async def sign(self, request: Request) -> Response:
        bucket_id, name = object_address(request)
        seconds = expires_in(await json_body(request))
        await self._visible_object(self.caller(request), bucket_id, name)
        signed = sign_object_url(self.deps.jwt_secret, bucket_id, name, seconds)
        return JSONResponse({"signedURL": signed})

    async def sign_many(self, request: Request) -> Response:
        bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
        body = await json_body(request)
        seconds = expires_in(body)
        paths = body.get("paths")
        if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
            raise bad_request("body must have required property 'paths'")
        async with storage_transaction(self.deps.pool, self.caller(request)) as db:
            await db.become_caller()
            visible = await db.visible_names(bucket_id, paths)
        return JSONResponse(
            [
                {
                    "error": None,
                    "path": path,
                    "signedURL": sign_object_url(self.deps.jwt_secret, bucket_id, path, seconds),
                }
                if path in visible
                else {
                    "error": "Either the object does not exist or you do not have access to it",
                    "path": path,
                    "signedURL": None,
                }
                for path in paths
            ]
        )

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

    # --- move, copy -----------------------------------------------------------------------------

    async def move(self, request: Request) -> Response:
        transfer = _Transfer.from_body(await json_body(request))
        version = str(uuid.uuid4())
        published: Path | None = None
        try:
            async with storage_transaction(self.deps.pool, self.caller(request)) as db:
                await db.become_caller()
                source = await self._source(db, transfer)
                moved = await db.rename_object(
                    transfer.bucket_id,
                    transfer.source_key,
                    transfer.destination_bucket,
                    transfer.destination_key,
                    version,
                )
                if moved is None:  # visible but not updatable: Storage reports it as missing
                    raise no_such_key()
                published = self._copy_bytes(source, transfer.destination_bucket, version)
        except BaseException:
            if published is not None:
                self.deps.store.discard(published)
            raise
        self.deps.store.discard_versions([(transfer.bucket_id, source["version"])])
        return JSONResponse(
            {
                "message": "Successfully moved",
                "Id": str(moved["id"]),
                "Key": transfer.destination_key,
            }
        )

    async def copy(self, request: Request) -> Response:
        body = await json_body(request)
        transfer = _Transfer.from_body(body)
        upsert = request.headers.get("x-upsert") == "true"
        version = str(uuid.uuid4())
        published: Path | None = None
        replaced: list[tuple[str, str | None]] = []
        try:
            async with storage_transaction(self.deps.pool, self.caller(request)) as db:
                destination = transfer.destination_bucket, transfer.destination_key
                if upsert and (previous := await db.find_object(*destination)):
                    replaced.append((transfer.destination_bucket, previous["version"]))
                await db.become_caller()
                source = await self._source(db, transfer)
                write = db.upsert_object if upsert else db.insert_object
                object_id = await write(*destination, version)
                await db.become_storage()
                metadata = {**(source["metadata"] or {}), "lastModified": _now()}
                if body.get("copyMetadata") is False and isinstance(body.get("metadata"), dict):
                    metadata.update(body["metadata"])
                await db.set_content(object_id, metadata, source["user_metadata"])
                published = self._copy_bytes(source, transfer.destination_bucket, version)
                copied = await db.find_object(*destination)
        except BaseException:
            if published is not None:
                self.deps.store.discard(published)
            raise
        self.deps.store.discard_versions(replaced)
        assert copied is not None
        return JSONResponse(
            {
                "Id": str(object_id),
                "Key": f"{transfer.destination_bucket}/{transfer.destination_key}",
                **to_json(copied),
            }
        )

    async def _source(self, db: StorageDb, transfer: _Transfer) -> Row:
        source = await db.find_object(transfer.bucket_id, transfer.source_key)
        if source is None:
            raise no_such_key()
        return source

    def _copy_bytes(self, source: Row, bucket_id: str, version: str) -> Path:
        path = self.deps.store.path_for(source["bucket_id"], source["version"] or "")
        if not source["version"] or not path.is_file():
            raise no_such_key()
        return self.deps.store.publish_copy(path, bucket_id, version)


@dataclass(frozen=True)
class _Transfer:
    """The body of `/object/move` and `/object/copy`."""

    bucket_id: str
    source_key: str
    destination_bucket: str
    destination_key: str

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> _Transfer:
        bucket_id = must_be_valid_bucket_name(required_string(body, "bucketId"))
        destination_bucket = body.get("destinationBucket") or bucket_id
        if not isinstance(destination_bucket, str):
            raise bad_request("body/destinationBucket must be string")
        return cls(
            bucket_id=bucket_id,
            source_key=required_string(body, "sourceKey"),
            destination_bucket=must_be_valid_bucket_name(destination_bucket),
            destination_key=must_be_valid_key(required_string(body, "destinationKey")),
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _content(incoming: IncomingFile) -> dict[str, Any]:
    """`storage.objects.metadata` as Storage's file backend records it."""
    return {
        "eTag": incoming.staged.etag,
        "size": incoming.staged.size,
        "mimetype": incoming.mimetype,
        "cacheControl": incoming.cache_control,
        "lastModified": _now(),
        "contentLength": incoming.staged.size,
        "httpStatusCode": 200,
    }


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
