"""A disabled print station's Auth login is banned, and unbanned when it is enabled again.

The database says which stations are due (`claim_station_login_locks`: the station is disabled
but its login is not banned, or the other way round) and leases them to this loop, which bans
or unbans each login through GoTrue's admin API (`ban_duration`, as hosted Supabase has it) with
the service role, then records what Auth now holds (`record_station_login_lock`). A failure is
recorded (`record_station_login_lock_failed`) and the database offers the station again after a
backoff. Banning a banned login (or unbanning an unbanned one) changes nothing, so a worker
killed half-way leaves nothing a later claim cannot finish."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from supabase import AsyncClient
from supabase_auth.errors import AuthApiError, AuthError

from workers.claim_loop import poll_until_stopped

log = logging.getLogger(__name__)

# GoTrue takes a Go duration; a ban "for good" is a century (lifted explicitly with "none").
BAN_FOR_GOOD = "876000h"
LIFT_BAN = "none"


@dataclass(frozen=True)
class LoginLockRequest:
    """One claimed row of `claim_station_login_locks`."""

    device_id: str
    user_id: str
    lock: bool
    attempts: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LoginLockRequest:
        return cls(
            device_id=str(row["device_id"]),
            user_id=str(row["user_id"]),
            lock=bool(row["lock"]),
            attempts=int(row["attempts"]),
        )


class LoginLockStore(Protocol):
    async def claim(self, limit: int, lease_seconds: int) -> list[LoginLockRequest]: ...

    async def record_locked(self, device_id: str, locked: bool) -> None: ...

    async def record_failed(self, device_id: str, error: str) -> None: ...


class LoginBans(Protocol):
    async def set_banned(self, user_id: str, banned: bool) -> None:
        """Ban the login (it can neither sign in nor refresh) or lift the ban; a login that is
        gone counts as banned for good."""


class SupabaseLoginLockStore:
    """The worker's three functions over PostgREST with the service role."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def claim(self, limit: int, lease_seconds: int) -> list[LoginLockRequest]:
        response = await self.client.rpc(
            "claim_station_login_locks", {"p_limit": limit, "p_lease_seconds": lease_seconds}
        ).execute()
        rows: list[dict[str, Any]] = response.data or []  # type: ignore[assignment]
        return [LoginLockRequest.from_row(row) for row in rows]

    async def record_locked(self, device_id: str, locked: bool) -> None:
        await self.client.rpc(
            "record_station_login_lock", {"p_device_id": device_id, "p_locked": locked}
        ).execute()

    async def record_failed(self, device_id: str, error: str) -> None:
        await self.client.rpc(
            "record_station_login_lock_failed", {"p_device_id": device_id, "p_error": error}
        ).execute()


class SupabaseLoginBans:
    """GoTrue's admin users API through supabase-py (the service role's)."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def set_banned(self, user_id: str, banned: bool) -> None:
        duration = BAN_FOR_GOOD if banned else LIFT_BAN
        try:
            await self.client.auth.admin.update_user_by_id(user_id, {"ban_duration": duration})
        except AuthApiError as error:
            # The station row goes with its login (on delete cascade): nothing left to lock.
            if error.code != "user_not_found":
                raise


class StationLoginLocker:
    """Claim stations whose login must be locked or unlocked, do it in Auth, record it."""

    def __init__(
        self,
        store: LoginLockStore,
        bans: LoginBans,
        poll_interval: float = 5.0,
        lease_seconds: int = 60,
    ) -> None:
        self.store = store
        self.bans = bans
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds

    async def run(self, stop: asyncio.Event) -> None:
        await poll_until_stopped(stop, self.run_once, self.poll_interval, "station login locks")

    async def run_once(self) -> int:
        """Handle every due station; returns how many were claimed."""
        requests = await self.store.claim(10, self.lease_seconds)
        for request in requests:
            await self.handle(request)
        return len(requests)

    async def handle(self, request: LoginLockRequest) -> None:
        action = "lock" if request.lock else "unlock"
        try:
            await self.bans.set_banned(request.user_id, request.lock)
        except (AuthError, httpx.HTTPError) as error:
            log.warning(
                "station login %s of device %s (attempt %d) failed: %s",
                action,
                request.device_id,
                request.attempts,
                error,
            )
            await self.store.record_failed(request.device_id, f"{type(error).__name__}: {error}")
            return
        await self.store.record_locked(request.device_id, request.lock)
        log.info("station login of device %s: %sed", request.device_id, action)
