"""`hm pi pair CODE` against the session stack: an admin (aal2) registers a station, the Pi
spends the code as anon, the pairing worker creates the login, and the agent's env file gets
a login that signs in. A spent code and a pairing no worker finishes are refused clearly, and
a worker killed half-way leaves a pairing the next worker finishes with the same login."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClient, AsyncClientOptions, Client, acreate_client
from typer.testing import CliRunner

from hm.cli import app
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from workers.station_pairing import (
    StationPairer,
    SupabasePairingStore,
    SupabaseStationLogins,
    station_email,
)

CRASHING_WORKER = Path(__file__).with_name("pairing_crash.py")

runner = CliRunner()


@pytest.fixture
def admin(
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    make_token: Callable[..., str],
) -> Client:
    """An admin signed in with a second factor (an aal2 token), as the app's Stations page is."""
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        member = staff.add_staff(
            api, f"pair-admin-{uuid.uuid4().hex[:8]}@hellomiami.local", "admin"
        )
    return make_client(access_token=make_token(member.member.user_id, aal="aal2"))


@pytest.fixture
def pairing_worker(supabase_env: dict[str, str]) -> Iterator[None]:
    """The workers' pairing loop, in a thread with its own event loop, for the test's length."""
    started = threading.Event()
    running: dict[str, Any] = {}

    async def main() -> None:
        async with httpx.AsyncClient() as http:
            client = await acreate_client(
                supabase_env["SUPABASE_URL"],
                supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
                AsyncClientOptions(
                    httpx_client=http, auto_refresh_token=False, persist_session=False
                ),
            )
            await run_pairer(client)

    async def run_pairer(client: AsyncClient) -> None:
        stop = asyncio.Event()
        running["loop"], running["stop"] = asyncio.get_running_loop(), stop
        started.set()
        pairer = StationPairer(
            SupabasePairingStore(client), SupabaseStationLogins(client), poll_interval=0.2
        )
        await pairer.run(stop)

    thread = threading.Thread(target=asyncio.run, args=(main(),))
    thread.start()
    assert started.wait(10)
    yield
    running["loop"].call_soon_threadsafe(running["stop"].set)
    thread.join(10)


def register(admin: Client, name: str, queue: str | None = "Label") -> str:
    rows = admin.rpc("register_print_station", {"p_name": name, "p_cups_queue": queue}).execute()
    assert isinstance(rows.data, list)
    return str(rows.data[0]["code"])


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def test_pair_writes_a_login_that_signs_in_and_keeps_the_rest_of_the_env_file(
    admin: Client,
    pairing_worker: None,
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
) -> None:
    name = f"Pair test {uuid.uuid4().hex[:6]}"
    code = register(admin, name, "FrontLabel")
    env_file = tmp_path / "etc" / "pi-agent.env"
    env_file.parent.mkdir()
    env_file.write_text("# the venue's CUPS\nHM_CUPS_SERVER=/run/cups/cups.sock\n")

    result = runner.invoke(
        app, ["pi", "pair", code.lower(), "--env-file", str(env_file)], env=supabase_env
    )

    assert result.exit_code == 0, result.output
    assert f"paired as station {name!r}" in result.output
    env = read_env(env_file)
    assert env["HM_CUPS_SERVER"] == "/run/cups/cups.sock"
    assert env["HM_CUPS_QUEUE"] == "FrontLabel"
    assert env["SUPABASE_URL"] == supabase_env["SUPABASE_URL"]
    assert env["SUPABASE_ANON_KEY"] == supabase_env["SUPABASE_ANON_KEY"]
    assert "# the venue's CUPS" in env_file.read_text()
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    station = make_client()
    session = station.auth.sign_in_with_password(
        {"email": env["HM_DEVICE_EMAIL"], "password": env["HM_DEVICE_PASSWORD"]}
    )
    assert session.user is not None
    row = db.execute(
        "select d.cups_queue, p.status, (select count(*) from private.station_pairing_passwords)"
        " from public.devices d join public.station_pairings p on p.device_id = d.id"
        " where d.name = %s",
        (name,),
    ).fetchone()
    assert row == ("FrontLabel", "paired", 0)

    again = runner.invoke(
        app, ["pi", "pair", code, "--env-file", str(tmp_path / "other.env")], env=supabase_env
    )
    assert again.exit_code == 1
    assert "invalid_code" in again.output
    assert not (tmp_path / "other.env").exists()


def test_pair_says_when_no_worker_creates_the_login(
    admin: Client, supabase_env: dict[str, str], tmp_path: Path
) -> None:
    code = register(admin, f"No worker {uuid.uuid4().hex[:6]}", None)
    env_file = tmp_path / "pi-agent.env"
    result = runner.invoke(
        app,
        ["pi", "pair", code, "--env-file", str(env_file), "--timeout", "0.5"],
        env=supabase_env,
    )
    assert result.exit_code == 1
    assert "is a Hello Miami worker running?" in result.output
    assert not env_file.exists()


def test_pair_needs_the_anon_key(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["pi", "pair", "AAAAA-AAAAA", "--env-file", str(tmp_path / "x.env")],
        env={"SUPABASE_ANON_KEY": ""},
    )
    assert result.exit_code == 1
    assert "SUPABASE_ANON_KEY" in result.output


async def pair_once(supabase_env: dict[str, str]) -> int:
    async with httpx.AsyncClient() as http:
        client = await acreate_client(
            supabase_env["SUPABASE_URL"],
            supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
            AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False),
        )
        pairer = StationPairer(SupabasePairingStore(client), SupabaseStationLogins(client))
        return await pairer.run_once()


def test_a_worker_killed_after_creating_the_login_leaves_a_pairing_the_next_one_finishes(
    admin: Client,
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    asyncio.run(pair_once(supabase_env))  # other tests' pairings first: ours is the one to die on
    name = f"Crash test {uuid.uuid4().hex[:6]}"
    code = register(admin, name)
    password = uuid.uuid4().hex * 2
    spent = make_client().rpc("pair_print_station", {"p_code": code, "p_password": password})
    answer = spent.execute().data
    assert isinstance(answer, dict)
    pairing_id = str(answer["pairing_id"])
    email = station_email(pairing_id)

    crashed = subprocess.run(
        [sys.executable, str(CRASHING_WORKER)],
        env={**os.environ, **supabase_env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert crashed.returncode == -9, crashed.stderr
    logins = "select count(*) from auth.users where email = %s"
    assert db.execute(logins, (email,)).fetchone() == (1,)
    stranded = db.execute(
        "select p.status, (select count(*) from private.station_pairing_passwords s"
        "  where s.pairing_id = p.id) from public.station_pairings p where p.id = %s",
        (pairing_id,),
    ).fetchone()
    assert stranded == ("pairing", 1)

    time.sleep(1.1)  # the dead worker's one-second lease lapses
    assert asyncio.run(pair_once(supabase_env)) >= 1

    row = db.execute(
        "select p.status, d.user_id = p.login_user_id,"
        "  (select count(*) from private.station_pairing_passwords s where s.pairing_id = p.id)"
        " from public.station_pairings p join public.devices d on d.id = p.device_id"
        " where p.id = %s",
        (pairing_id,),
    ).fetchone()
    assert row == ("paired", True, 0)
    assert db.execute(logins, (email,)).fetchone() == (1,)
    session = make_client().auth.sign_in_with_password({"email": email, "password": password})
    assert session.user is not None
