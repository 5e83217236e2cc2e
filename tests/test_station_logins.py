"""The login-lock worker against the session stack, through supabase-py: an admin (aal2)
disables a station and its login can no longer sign in, refresh or use its access token at
Auth; enabled again, it signs in. A failed ban is recorded and retried after its backoff."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClient, AsyncClientOptions, Client, acreate_client
from supabase_auth.errors import AuthApiError

from hm.people import staff
from hm.people.devices import DeviceCredentials, add_device
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from workers.station_logins import (
    StationLoginLocker,
    SupabaseLoginBans,
    SupabaseLoginLockStore,
)


def service_api(supabase_env: dict[str, str]) -> ServiceApi:
    return ServiceApi(
        SupabaseServiceSettings(
            supabase_url=supabase_env["SUPABASE_URL"],
            supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
        )
    )


@pytest.fixture
def admin(
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    make_token: Callable[..., str],
) -> Client:
    """An admin signed in with a second factor (aal2), as the app's Stations page is."""
    with service_api(supabase_env) as api:
        member = staff.add_staff(
            api, f"lock-admin-{uuid.uuid4().hex[:8]}@hellomiami.local", "admin"
        )
    return make_client(access_token=make_token(member.member.user_id, aal="aal2"))


@pytest.fixture
def station(supabase_env: dict[str, str]) -> DeviceCredentials:
    with service_api(supabase_env) as api:
        return add_device(api, f"Lock test {uuid.uuid4().hex[:6]}")


async def client_with(
    supabase_env: dict[str, str], key: str, http: httpx.AsyncClient
) -> AsyncClient:
    options = AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False)
    return await acreate_client(supabase_env["SUPABASE_URL"], key, options)


async def lock_once(supabase_env: dict[str, str], bans_key: str | None = None) -> int:
    """One pass of the worker; `bans_key` gives the Auth calls another key than the service
    role's (Auth then refuses them)."""
    async with httpx.AsyncClient() as http:
        service = await client_with(supabase_env, supabase_env["SUPABASE_SERVICE_ROLE_KEY"], http)
        auth = await client_with(supabase_env, bans_key, http) if bans_key else service
        locker = StationLoginLocker(SupabaseLoginLockStore(service), SupabaseLoginBans(auth))
        return await locker.run_once()


def set_enabled(admin: Client, station: DeviceCredentials, enabled: bool) -> None:
    admin.rpc(
        "set_print_station_enabled", {"p_device_id": station.device_id, "p_enabled": enabled}
    ).execute()


def sign_in(make_client: Callable[..., Client], station: DeviceCredentials) -> Any:
    return make_client().auth.sign_in_with_password(
        {"email": station.email, "password": station.password}
    )


def test_a_disabled_stations_login_is_banned_and_enabling_lifts_the_ban(
    admin: Client,
    station: DeviceCredentials,
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    before = sign_in(make_client, station).session
    assert before is not None

    set_enabled(admin, station, False)
    assert asyncio.run(lock_once(supabase_env)) >= 1

    with pytest.raises(AuthApiError) as signing_in:
        sign_in(make_client, station)
    assert (signing_in.value.status, signing_in.value.code) == (400, "user_banned")
    with pytest.raises(AuthApiError) as refreshing:
        make_client().auth.refresh_session(before.refresh_token)
    assert (refreshing.value.status, refreshing.value.code) == (400, "user_banned")
    assert refreshing.value.message == "Invalid Refresh Token: User Banned"
    with pytest.raises(AuthApiError) as reading:
        make_client().auth.get_user(before.access_token)
    assert (reading.value.status, reading.value.code) == (403, "user_banned")
    locked = db.execute(
        "select l.locked, l.attempts, u.banned_until > now() + interval '50 years'"
        " from public.station_login_locks l join public.devices d on d.id = l.device_id"
        " join auth.users u on u.id = d.user_id where l.device_id = %s",
        (station.device_id,),
    ).fetchone()
    assert locked == (True, 0, True)
    assert asyncio.run(lock_once(supabase_env)) == 0, "a locked disabled station is not due"

    set_enabled(admin, station, True)
    assert asyncio.run(lock_once(supabase_env)) >= 1
    assert sign_in(make_client, station).session is not None
    assert db.execute(
        "select locked from public.station_login_locks where device_id = %s", (station.device_id,)
    ).fetchone() == (False,)


def test_a_ban_auth_refuses_is_recorded_and_retried_after_the_backoff(
    admin: Client,
    station: DeviceCredentials,
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    set_enabled(admin, station, False)
    # Auth refuses its admin API to the anon key: the attempt fails and is recorded.
    asyncio.run(lock_once(supabase_env, bans_key=supabase_env["SUPABASE_ANON_KEY"]))
    failed = db.execute(
        "select locked, attempts, last_error like 'AuthApiError: %%',"
        "  claimed_until > now() + interval '5 seconds'"
        " from public.station_login_locks where device_id = %s",
        (station.device_id,),
    ).fetchone()
    assert failed == (False, 1, True, True)
    assert sign_in(make_client, station).session is not None, "not banned yet"

    db.execute(
        "update public.station_login_locks set claimed_until = now() - interval '1 second'"
        " where device_id = %s",
        (station.device_id,),
    )
    assert asyncio.run(lock_once(supabase_env)) >= 1
    with pytest.raises(AuthApiError) as signing_in:
        sign_in(make_client, station)
    assert signing_in.value.code == "user_banned"
