"""`/object/move` and `/object/copy`, within a bucket or across buckets.

Both run as the caller: a move needs the source to be visible and updatable into its new name
(the UPDATE policies' USING and WITH CHECK), a copy needs the source visible and the destination
insertable (or updatable with `x-upsert: true`). The bytes are hard-linked under the new version
inside the transaction and the old version's bytes go only after the commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.stack.storage.caller import Caller, caller_from_request
from devstack.stack.storage.errors import bad_request, no_such_key
from devstack.stack.storage.objects import Row, StorageDb, storage_transaction, to_json
from devstack.stack.storage.paths import must_be_valid_bucket_name, must_be_valid_key
from devstack.stack.storage.requests import StorageDeps, json_body, required_string
from devstack.stack.storage.writes import now_iso


class TransferRoutes:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps

    def routes(self) -> list[Route]:
        return [
            Route("/object/move", self.move, methods=["POST"]),
            Route("/object/copy", self.copy, methods=["POST"]),
        ]

    def caller(self, request: Request) -> Caller:
        return caller_from_request(request, self.deps.jwt_secret)

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
                if upsert and (previous := await db.find_object(*destination, lock=True)):
                    replaced.append((transfer.destination_bucket, previous["version"]))
                await db.become_caller()
                source = await self._source(db, transfer)
                write = db.upsert_object if upsert else db.insert_object
                object_id = await write(*destination, version)
                await db.become_storage()
                metadata = {**(source["metadata"] or {}), "lastModified": now_iso()}
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
        path = self.deps.store.bytes_of(source["bucket_id"], source["version"])
        if path is None:
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
