"""The pairing worker over fakes of its two ports: each claimed pairing ends paired or failed,
a login whose station could not be recorded is removed again, a retry after a crash reuses
the login the dead attempt made, and Auth out of reach is retried rather than failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from postgrest.exceptions import APIError
from supabase_auth.errors import AuthApiError, AuthRetryableError

from workers.station_pairing import PairingRequest, StationPairer, station_email


@dataclass
class FakeStore:
    claimable: list[PairingRequest]
    paired: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    retried: list[tuple[str, str]] = field(default_factory=list)
    refuse_record: bool = False

    async def claim(self, limit: int, lease_seconds: int) -> list[PairingRequest]:
        claimed, self.claimable = self.claimable[:limit], self.claimable[limit:]
        return claimed

    async def record_paired(self, pairing_id: str, user_id: str, email: str) -> str:
        if self.refuse_record:
            raise APIError({"message": "23505", "details": "devices_name_key"})
        self.paired.append((pairing_id, user_id, email))
        return "device-1"

    async def record_failed(self, pairing_id: str, error: str) -> None:
        self.failed.append((pairing_id, error))

    async def record_retry(self, pairing_id: str, error: str) -> None:
        """The database keeps the pairing and offers it again after the backoff."""
        self.retried.append((pairing_id, error))
        self.claimable.append(REQUEST)


@dataclass
class FakeLogins:
    """Auth's admin users API: one login per email, as GoTrue keeps it."""

    created: dict[str, tuple[str, str]] = field(default_factory=dict)
    refuse: bool = False
    unreachable: int = 0

    async def create(self, user_id: str, email: str, password: str, station_name: str) -> None:
        if self.unreachable:
            self.unreachable -= 1
            # What supabase-py raises for a connection error or a gateway's 502/503/504.
            raise AuthRetryableError("Server disconnected without sending a response.", 0)
        if self.refuse:
            raise AuthApiError("Signups not allowed for this instance", 422, "signup_disabled")
        if any(existing == email for existing, _ in self.created.values()):
            raise AuthApiError(
                "A user with this email address has already been registered", 422, "email_exists"
            )
        self.created[user_id] = (email, password)

    async def set_password(self, user_id: str, password: str) -> None:
        email, _ = self.created[user_id]
        self.created[user_id] = (email, password)

    async def delete(self, user_id: str) -> None:
        del self.created[user_id]


REQUEST = PairingRequest(id="p-1", name="Front door", password="x" * 48, login_user_id="user-1")


async def test_a_claimed_pairing_gets_a_login_with_the_pis_password_and_is_recorded() -> None:
    store, logins = FakeStore([REQUEST]), FakeLogins()
    assert await StationPairer(store, logins).run_once() == 1
    assert logins.created == {"user-1": (station_email("p-1"), "x" * 48)}
    assert store.paired == [("p-1", "user-1", station_email("p-1"))]
    assert store.failed == []


async def test_a_refused_login_fails_the_pairing_with_auths_reason() -> None:
    store = FakeStore([REQUEST])
    await StationPairer(store, FakeLogins(refuse=True)).run_once()
    assert store.paired == []
    assert store.failed == [("p-1", "auth: Signups not allowed for this instance")]


async def test_a_station_the_database_refuses_leaves_no_login_behind() -> None:
    store, logins = FakeStore([REQUEST], refuse_record=True), FakeLogins()
    await StationPairer(store, logins).run_once()
    assert logins.created == {}
    assert store.failed == [("p-1", "database: 23505: devices_name_key")]


async def test_a_retry_after_a_crash_gives_the_earlier_login_the_pis_password_again() -> None:
    logins = FakeLogins({"user-1": (station_email("p-1"), "password the dead attempt set")})
    store = FakeStore([REQUEST])
    await StationPairer(store, logins).run_once()
    assert logins.created == {"user-1": (station_email("p-1"), "x" * 48)}
    assert store.paired == [("p-1", "user-1", station_email("p-1"))]


async def test_auth_out_of_reach_is_retried_with_the_same_login_and_then_pairs() -> None:
    store, logins = FakeStore([REQUEST]), FakeLogins(unreachable=1)
    pairer = StationPairer(store, logins)
    await pairer.run_once()
    assert store.failed == []
    assert store.retried == [
        ("p-1", "auth unreachable: Server disconnected without sending a response.")
    ]
    assert store.paired == []
    await pairer.run_once()
    assert logins.created == {"user-1": (station_email("p-1"), "x" * 48)}
    assert store.paired == [("p-1", "user-1", station_email("p-1"))]
