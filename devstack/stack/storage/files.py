"""Object bytes on disk: `<root>/<bucket id>/<version uuid>`, one file per stored version.

A request first stages its bytes in `<root>/.staging`; they are published (an atomic rename) only
once the object's row is written, inside the same database transaction, and withdrawn again if
that transaction does not commit. Versions are fresh UUIDs, so a replaced or moved object never
overwrites bytes a committed row still points at.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from devstack.stack.storage.errors import entity_too_large

log = logging.getLogger("hm.storage.files")


@dataclass(frozen=True)
class StagedFile:
    path: Path
    size: int
    md5: str

    @property
    def etag(self) -> str:
        """S3's ETag for a single-part object: the quoted MD5 of the bytes."""
        return f'"{self.md5}"'


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / ".staging"

    def prepare(self, live_versions: set[tuple[str, str]]) -> int:
        """Make the folders and remove what no row points at: staging files left by a stopped
        gateway, and the bytes of rows a database reset dropped. The number of files removed."""
        self.staging.mkdir(parents=True, exist_ok=True)
        removed = 0
        for path in self.root.glob("*/*"):
            if path.is_file() and (path.parent.name, path.name) not in live_versions:
                path.unlink()
                removed += 1
        return removed

    def path_for(self, bucket_id: str, version: str) -> Path:
        """Where a version's bytes live; only versions this service minted (UUIDs) map to a
        path, so a row written by other means can never point outside the store."""
        return self.root / bucket_id / str(uuid.UUID(version))

    def bytes_of(self, bucket_id: str, version: str | None) -> Path | None:
        """The file holding a row's bytes, or None when the row has none on disk."""
        try:
            path = self.path_for(bucket_id, version or "")
        except ValueError:
            return None
        return path if path.is_file() else None

    async def stage(self, chunks: AsyncIterator[bytes], size_limit: int) -> StagedFile:
        """Write the incoming bytes to a staging file, refusing them past `size_limit`."""
        path = self.staging / uuid.uuid4().hex
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        handle = await asyncio.to_thread(path.open, "wb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > size_limit:
                    raise entity_too_large()
                digest.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
        except BaseException:
            handle.close()
            path.unlink(missing_ok=True)
            raise
        handle.close()
        return StagedFile(path=path, size=size, md5=digest.hexdigest())

    def publish(self, staged: StagedFile, bucket_id: str, version: str) -> Path:
        target = self.path_for(bucket_id, version)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        return target

    def publish_copy(self, source: Path, bucket_id: str, version: str) -> Path:
        """The same bytes under a new version: a hard link, so copies and moves cost nothing."""
        target = self.path_for(bucket_id, version)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
        return target

    def discard(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def discard_versions(self, versions: list[tuple[str, str | None]]) -> None:
        """Remove the bytes of rows that are gone for good (bucket id, version) after a commit."""
        for bucket_id, version in versions:
            path = self.bytes_of(bucket_id, version)
            if path is None:
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError:
                # The rows are already gone; a leftover file is harmless, but say so.
                log.exception("could not remove %s", path)
