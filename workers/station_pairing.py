"""Print station pairing: the one step of `hm pi pair` that needs the service role.

A Pi spends its one-time code with `pair_print_station` (as anon) and hands over the password
it made up; this loop claims the redeemed pairing (`claim_station_pairings`), creates the
station's Auth user with that password through GoTrue's admin API, and records the station
(`record_station_paired`, which creates the devices row and deletes the password). The Pi polls
`print_station_pairing` meanwhile and signs in once it says paired.

A worker may die between creating the login and recording the station. The claim then comes
back after its lease with the same password and the same login id (chosen by the first claim),
so the retry sets the Pi's password on the login the dead worker made rather than making a
second one, and recording is idempotent.

Auth not answering (a network failure, a gateway error: supabase-py's AuthRetryableError) is not
a refusal: the pairing is kept and claimed again after a backoff (`record_station_pairing_retry`),
within the pairing's 15 minutes. Auth's refusals fail it at once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from postgrest.exceptions import APIError
from supabase import AsyncClient
from supabase_auth.errors import AuthApiError, AuthError, AuthRetryableError

from hm.people.devices import DEVICE_EMAIL_DOMAIN
from workers.claim_loop import poll_until_stopped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PairingRequest:
    """One claimed row of `claim_station_pairings`."""

    id: str
    name: str
    password: str
    login_user_id: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PairingRequest:
        return cls(
            id=str(row["id"]),
            name=str(row["name"]),
            password=str(row["password"]),
            login_user_id=str(row["login_user_id"]),
        )


class PairingFailed(Exception):
    """The station's login could not be created; the pairing fails with this reason."""


class PairingInterrupted(Exception):
    """Auth could not be reached; the pairing is tried again later."""


class PairingStore(Protocol):
    async def claim(self, limit: int, lease_seconds: int) -> list[PairingRequest]: ...

    async def record_paired(self, pairing_id: str, user_id: str, email: str) -> str: ...

    async def record_failed(self, pairing_id: str, error: str) -> None: ...

    async def record_retry(self, pairing_id: str, error: str) -> None: ...


class StationLogins(Protocol):
    async def create(self, user_id: str, email: str, password: str, station_name: str) -> None:
        """Create the station's login with this Auth user id; a login with this email already
        existing is refused (AuthApiError email_exists)."""

    async def set_password(self, user_id: str, password: str) -> None: ...

    async def delete(self, user_id: str) -> None: ...


def station_email(pairing_id: str) -> str:
    """A login per pairing: station names may repeat after one is retired, pairing ids never."""
    return f"station-{pairing_id}@{DEVICE_EMAIL_DOMAIN}"


class SupabasePairingStore:
    """The worker's three pairing functions over PostgREST with the service role."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def claim(self, limit: int, lease_seconds: int) -> list[PairingRequest]:
        response = await self.client.rpc(
            "claim_station_pairings", {"p_limit": limit, "p_lease_seconds": lease_seconds}
        ).execute()
        rows: list[dict[str, Any]] = response.data or []  # type: ignore[assignment]
        return [PairingRequest.from_row(row) for row in rows]

    async def record_paired(self, pairing_id: str, user_id: str, email: str) -> str:
        response = await self.client.rpc(
            "record_station_paired",
            {"p_pairing_id": pairing_id, "p_user_id": user_id, "p_email": email},
        ).execute()
        return str(response.data)

    async def record_failed(self, pairing_id: str, error: str) -> None:
        await self.client.rpc(
            "record_station_pairing_failed", {"p_pairing_id": pairing_id, "p_error": error}
        ).execute()

    async def record_retry(self, pairing_id: str, error: str) -> None:
        await self.client.rpc(
            "record_station_pairing_retry", {"p_pairing_id": pairing_id, "p_error": error}
        ).execute()


class SupabaseStationLogins:
    """GoTrue's admin users API through supabase-py (the service role's)."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def create(self, user_id: str, email: str, password: str, station_name: str) -> None:
        await self.client.auth.admin.create_user(
            {
                "id": user_id,
                "email": email,
                "password": password,
                "email_confirm": True,
                "user_metadata": {"device_name": station_name},
            }
        )

    async def set_password(self, user_id: str, password: str) -> None:
        await self.client.auth.admin.update_user_by_id(user_id, {"password": password})

    async def delete(self, user_id: str) -> None:
        await self.client.auth.admin.delete_user(user_id)


class StationPairer:
    """Claim redeemed pairings, create each station's login, record the outcome."""

    def __init__(
        self,
        store: PairingStore,
        logins: StationLogins,
        poll_interval: float = 2.0,
        lease_seconds: int = 60,
    ) -> None:
        self.store = store
        self.logins = logins
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds

    async def run(self, stop: asyncio.Event) -> None:
        await poll_until_stopped(stop, self.run_once, self.poll_interval, "station pairing")

    async def run_once(self) -> int:
        """Handle every claimable pairing; returns how many were claimed."""
        requests = await self.store.claim(10, self.lease_seconds)
        for request in requests:
            await self.handle(request)
        return len(requests)

    async def handle(self, request: PairingRequest) -> None:
        try:
            device_id = await self.pair(request)
        except PairingInterrupted as error:
            log.warning("station pairing: %s interrupted, will retry: %s", request.name, error)
            await self.store.record_retry(request.id, str(error))
            return
        except PairingFailed as error:
            log.warning("station pairing: %s failed: %s", request.name, error)
            await self.store.record_failed(request.id, str(error))
            return
        log.info("station pairing: %s paired as device %s", request.name, device_id)

    async def pair(self, request: PairingRequest) -> str:
        email = station_email(request.id)
        user_id = request.login_user_id
        try:
            await self.create_login(request, email)
        except AuthRetryableError as error:  # no answer, or a gateway's: may pass
            raise PairingInterrupted(f"auth unreachable: {error}") from error
        except AuthError as error:  # Auth's refusals
            raise PairingFailed(f"auth: {error}") from error
        try:
            return await self.store.record_paired(request.id, user_id, email)
        except APIError as error:
            # The station was not recorded (its name was taken meanwhile): a login without a
            # devices row could do nothing, but it should not linger either.
            await self.logins.delete(user_id)
            raise PairingFailed(f"database: {error.message}: {error.details}") from error

    async def create_login(self, request: PairingRequest, email: str) -> None:
        try:
            await self.logins.create(request.login_user_id, email, request.password, request.name)
        except AuthApiError as error:
            if error.code != "email_exists":
                raise
            # An earlier attempt made this login and died before recording it: the email is
            # this pairing's own, so the login is ours; it takes the Pi's password again.
            log.info("station pairing: %s resumes with the login made earlier", request.name)
            await self.logins.set_password(request.login_user_id, request.password)
