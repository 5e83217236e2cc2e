"""Writing an object's bytes and row together: the one path every upload takes.

The write runs in one `storage_transaction`: the bucket's limits are read as Storage itself, the
row is written as the caller (so RLS and the unique name decide before any byte is read), the
body is staged, checked against the bucket's size and MIME rules, and published inside the
transaction; if anything fails the row is rolled back and the bytes withdrawn. The bytes of a
replaced version are deleted only after the commit.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request

from devstack.stack.storage.caller import Caller
from devstack.stack.storage.errors import no_such_bucket
from devstack.stack.storage.objects import Bucket, storage_transaction
from devstack.stack.storage.requests import StorageDeps
from devstack.stack.storage.uploads import (
    IncomingFile,
    check_mime_type,
    is_empty_folder_placeholder,
    receive_file,
)


class ObjectWriter:
    def __init__(self, deps: StorageDeps) -> None:
        self.deps = deps

    async def store(
        self,
        request: Request,
        caller: Caller,
        bucket_id: str,
        name: str,
        *,
        upsert: bool,
        as_caller: bool = True,
    ) -> uuid.UUID:
        """Store the request's body as `bucket_id/name`; the new row's id.

        `as_caller=False` writes as Storage itself for `caller`'s subject, as a signed upload
        URL does (its RLS check happened when the URL was made)."""
        version = str(uuid.uuid4())
        published: Path | None = None
        replaced: list[tuple[str, str | None]] = []
        try:
            async with storage_transaction(self.deps.pool, caller) as db:
                bucket = await db.bucket(bucket_id)
                if bucket is None:
                    raise no_such_bucket()
                if upsert and (previous := await db.find_object(bucket_id, name, lock=True)):
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
                    await db.set_content(
                        object_id, content_metadata(incoming), incoming.user_metadata
                    )
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


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def content_metadata(incoming: IncomingFile) -> dict[str, Any]:
    """`storage.objects.metadata` as Storage's file backend records it."""
    return {
        "eTag": incoming.staged.etag,
        "size": incoming.staged.size,
        "mimetype": incoming.mimetype,
        "cacheControl": incoming.cache_control,
        "lastModified": now_iso(),
        "contentLength": incoming.staged.size,
        "httpStatusCode": 200,
    }
