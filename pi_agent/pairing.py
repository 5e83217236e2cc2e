"""`hm pi pair CODE`: turn the one-time code an admin was shown into this Pi's own login.

The Pi makes up the station's password itself (it never leaves the Pi but once, over TLS, to be
set on the new login), spends the code with `pair_print_station` as anon, waits for the pairing
worker to create the login (`print_station_pairing`), checks that it can sign in, and writes the
agent's env file. Nobody copies a password by hand, and no service role key is involved."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postgrest.exceptions import APIError
from supabase import Client
from supabase_auth.errors import AuthError

from hm.errors import HmError


class PairingError(HmError):
    """Pairing did not happen; the message says why and what to do."""


@dataclass(frozen=True)
class PairedStation:
    name: str
    email: str
    password: str
    cups_queue: str | None


def new_station_password() -> str:
    """48 URL-safe characters (288 bits): within bcrypt's 72 bytes, beyond any guessing."""
    return secrets.token_urlsafe(36)


def _rpc(client: Client, function: str, params: dict[str, Any]) -> dict[str, Any]:
    try:
        data = client.rpc(function, params).execute().data
    except APIError as error:
        raise PairingError(f"{error.message}: {error.details}") from error
    if not isinstance(data, dict):
        raise PairingError(f"{function} answered {data!r}")
    return data


def pair_station(
    client: Client,
    code: str,
    *,
    timeout_seconds: float = 60.0,
    poll_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> PairedStation:
    """Spend the code and wait until the station's login works. `client` is an anon client."""
    password = new_station_password()
    answer = _rpc(client, "pair_print_station", {"p_code": code, "p_password": password})
    if answer.get("status") != "redeemed":
        raise PairingError(f"{answer.get('code')}: {answer.get('detail')}")
    pairing_id = str(answer["pairing_id"])
    deadline = clock() + timeout_seconds
    while True:
        state = _rpc(client, "print_station_pairing", {"p_pairing_id": pairing_id})
        if state["status"] == "paired":
            break
        if state["status"] == "failed":
            raise PairingError(f"pairing failed: {state.get('error')} (register the station again)")
        if clock() >= deadline:
            raise PairingError(
                f"no worker finished pairing {state['name']!r} within {timeout_seconds:g} s: "
                "is a Hello Miami worker running? Run `hm pi pair` again with a new code."
            )
        sleep(poll_seconds)
    email = str(state["device_email"])
    try:
        client.auth.sign_in_with_password({"email": email, "password": password})
        client.auth.sign_out()
    except AuthError as error:
        raise PairingError(f"the new login does not sign in: {error}") from error
    return PairedStation(str(state["name"]), email, password, state.get("cups_queue"))


def agent_env(station: PairedStation, supabase_url: str, anon_key: str) -> dict[str, str]:
    """The agent's settings that pairing decides (names as in pi_agent/settings.py)."""
    values = {
        "SUPABASE_URL": supabase_url,
        "SUPABASE_ANON_KEY": anon_key,
        "HM_DEVICE_EMAIL": station.email,
        "HM_DEVICE_PASSWORD": station.password,
    }
    if station.cups_queue:
        values["HM_CUPS_QUEUE"] = station.cups_queue
    return values


def write_env_file(path: Path, values: Mapping[str, str]) -> None:
    """Set `values` in the env file, keeping its other lines (HM_CUPS_SERVER, comments…).
    Written to a temporary file beside it and renamed, readable by its owner only."""
    lines = path.read_text().splitlines() if path.exists() else []
    remaining = dict(values)
    updated: list[str] = []
    for line in lines:
        key = line.split("=", 1)[0].strip()
        if "=" in line and not line.lstrip().startswith("#") and key in remaining:
            updated.append(f"{key}={remaining.pop(key)}")
        else:
            updated.append(line)
    updated.extend(f"{key}={value}" for key, value in remaining.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write("\n".join(updated) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
