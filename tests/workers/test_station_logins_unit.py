"""The login-lock worker over fakes of its two ports: each claimed station's login is banned or
unbanned and recorded; a failure is recorded for the database to retry; a login that is gone
counts as locked."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from supabase_auth.errors import AuthApiError

from workers.station_logins import LoginLockRequest, StationLoginLocker


@dataclass
class FakeStore:
    claimable: list[LoginLockRequest]
    locked: list[tuple[str, bool]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    async def claim(self, limit: int, lease_seconds: int) -> list[LoginLockRequest]:
        claimed, self.claimable = self.claimable[:limit], self.claimable[limit:]
        return claimed

    async def record_locked(self, device_id: str, locked: bool) -> None:
        self.locked.append((device_id, locked))

    async def record_failed(self, device_id: str, error: str) -> None:
        self.failed.append((device_id, error))


@dataclass
class FakeBans:
    banned: dict[str, bool] = field(default_factory=dict)
    failure: Exception | None = None

    async def set_banned(self, user_id: str, banned: bool) -> None:
        if self.failure is not None:
            raise self.failure
        self.banned[user_id] = banned


def request(device: str, lock: bool) -> LoginLockRequest:
    return LoginLockRequest(device_id=device, user_id=f"user-of-{device}", lock=lock, attempts=1)


async def test_disabled_stations_are_banned_and_enabled_ones_unbanned() -> None:
    store, bans = FakeStore([request("d-1", True), request("d-2", False)]), FakeBans()
    assert await StationLoginLocker(store, bans).run_once() == 2
    assert bans.banned == {"user-of-d-1": True, "user-of-d-2": False}
    assert store.locked == [("d-1", True), ("d-2", False)]
    assert store.failed == []


async def test_a_failed_ban_is_recorded_for_a_retry_and_nothing_is_claimed_as_done() -> None:
    store = FakeStore([request("d-1", True)])
    bans = FakeBans(failure=httpx.ConnectTimeout("timed out"))
    await StationLoginLocker(store, bans).run_once()
    assert store.locked == []
    assert store.failed == [("d-1", "ConnectTimeout: timed out")]


async def test_a_refusal_by_auth_is_recorded_with_its_reason() -> None:
    store = FakeStore([request("d-1", False)])
    bans = FakeBans(failure=AuthApiError("User not allowed", 403, "not_admin"))
    await StationLoginLocker(store, bans).run_once()
    assert store.failed == [("d-1", "AuthApiError: User not allowed")]


async def test_nothing_due_claims_nothing() -> None:
    assert await StationLoginLocker(FakeStore([]), FakeBans()).run_once() == 0
