"""GDPR erase, the half outside the database: a person's Storage objects and Auth login.

`gdpr_erase` (an admin) and `request_my_erasure` (the attendee) leave an open erase request;
`claim_erasure_requests` leases it to this loop (anonymising the rows first when the attendee
asked), which deletes the named objects, empties the person's folders (files no row points at
any more) and deletes the login, all through Storage's and Auth's APIs with the service role —
hosted Storage refuses SQL deletes. Then `record_erasure_done`, or `record_erasure_failed` and
the database retries later. Every step tolerates having been done already, so a worker killed
half-way leaves nothing a later claim cannot finish."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from storage3.exceptions import StorageApiError
from supabase import AsyncClient
from supabase_auth.errors import AuthApiError, AuthError

from workers.claim_loop import poll_until_stopped

log = logging.getLogger(__name__)

# Storage lists at most this many entries per call.
LIST_PAGE = 100


@dataclass(frozen=True)
class ErasureRequest:
    """One claimed row of `claim_erasure_requests`."""

    id: str
    contact_id: str | None
    storage_objects: tuple[str, ...]
    storage_prefixes: tuple[str, ...]
    auth_user_id: str | None
    attempts: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ErasureRequest:
        return cls(
            id=str(row["id"]),
            contact_id=str(row["contact_id"]) if row.get("contact_id") else None,
            storage_objects=tuple(row.get("storage_objects") or ()),
            storage_prefixes=tuple(row.get("storage_prefixes") or ()),
            auth_user_id=str(row["auth_user_id"]) if row.get("auth_user_id") else None,
            attempts=int(row["attempts"]),
        )


class ErasureStore(Protocol):
    async def claim(self, limit: int, lease_seconds: int) -> list[ErasureRequest]: ...

    async def record_done(self, request_id: str) -> None: ...

    async def record_failed(self, request_id: str, error: str) -> None: ...


class PersonalFiles(Protocol):
    async def list_folder(self, bucket: str, folder: str) -> list[str]:
        """Every object name under `folder` (recursively), as paths inside the bucket."""

    async def remove(self, bucket: str, paths: list[str]) -> None:
        """Delete these objects; objects already gone are not an error."""


class Logins(Protocol):
    async def delete(self, user_id: str) -> None:
        """Delete the login; a login already gone is not an error."""


class SupabaseErasureStore:
    """The three worker functions over PostgREST with the service role."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def claim(self, limit: int, lease_seconds: int) -> list[ErasureRequest]:
        response = await self.client.rpc(
            "claim_erasure_requests", {"p_limit": limit, "p_lease_seconds": lease_seconds}
        ).execute()
        rows: list[dict[str, Any]] = response.data or []  # type: ignore[assignment]
        return [ErasureRequest.from_row(row) for row in rows]

    async def record_done(self, request_id: str) -> None:
        await self.client.rpc("record_erasure_done", {"p_id": request_id}).execute()

    async def record_failed(self, request_id: str, error: str) -> None:
        await self.client.rpc(
            "record_erasure_failed", {"p_id": request_id, "p_error": error}
        ).execute()


class SupabaseStorageFiles:
    """Storage's object API through supabase-py (service role: no RLS in the way)."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def list_folder(self, bucket: str, folder: str) -> list[str]:
        files = self.client.storage.from_(bucket)
        found: list[str] = []
        offset = 0
        while True:
            entries = await files.list(folder, {"limit": LIST_PAGE, "offset": offset})
            for entry in entries:
                path = f"{folder.rstrip('/')}/{entry['name']}"
                # Storage lists a sub-folder as an entry without an id.
                if entry.get("id") is None:
                    found.extend(await self.list_folder(bucket, path))
                else:
                    found.append(path)
            if len(entries) < LIST_PAGE:
                return found
            offset += LIST_PAGE

    async def remove(self, bucket: str, paths: list[str]) -> None:
        await self.client.storage.from_(bucket).remove(paths)


class SupabaseLogins:
    """GoTrue's admin users API through supabase-py."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def delete(self, user_id: str) -> None:
        try:
            await self.client.auth.admin.delete_user(user_id)
        except AuthApiError as error:
            if error.code != "user_not_found":
                raise


def split_object(object_path: str) -> tuple[str, str]:
    """'bucket/a/b.png' → ('bucket', 'a/b.png')."""
    bucket, _, path = object_path.partition("/")
    if not bucket or not path:
        raise ValueError(f"not a bucket/path storage object: {object_path!r}")
    return bucket, path


class ErasureWorker:
    """Claim, delete files and login, record the outcome; one request at a time."""

    def __init__(
        self,
        store: ErasureStore,
        files: PersonalFiles,
        logins: Logins,
        poll_interval: float = 2.0,
        lease_seconds: int = 120,
    ) -> None:
        self.store = store
        self.files = files
        self.logins = logins
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds

    async def run(self, stop: asyncio.Event) -> None:
        await poll_until_stopped(stop, self.run_once, self.poll_interval, "gdpr erasure")

    async def run_once(self) -> int:
        """Handle every due request; returns how many were claimed."""
        requests = await self.store.claim(5, self.lease_seconds)
        for request in requests:
            await self.handle(request)
        return len(requests)

    async def handle(self, request: ErasureRequest) -> None:
        try:
            await self.erase_outside_database(request)
        except (StorageApiError, AuthError, httpx.HTTPError, ValueError) as error:
            log.warning(
                "gdpr erasure %s (attempt %d) failed: %s", request.id, request.attempts, error
            )
            await self.store.record_failed(request.id, f"{type(error).__name__}: {error}")
            return
        await self.store.record_done(request.id)
        log.info("gdpr erasure %s completed", request.id)

    async def erase_outside_database(self, request: ErasureRequest) -> None:
        by_bucket: dict[str, set[str]] = {}
        for object_path in request.storage_objects:
            bucket, path = split_object(object_path)
            by_bucket.setdefault(bucket, set()).add(path)
        for prefix in request.storage_prefixes:
            bucket, folder = split_object(prefix)
            by_bucket.setdefault(bucket, set()).update(await self.files.list_folder(bucket, folder))
        for bucket, paths in sorted(by_bucket.items()):
            if paths:
                await self.files.remove(bucket, sorted(paths))
        if request.auth_user_id:
            await self.logins.delete(request.auth_user_id)
