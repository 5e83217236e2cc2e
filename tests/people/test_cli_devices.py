"""`hm devices add` creates a device login that can claim its own print jobs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from typer.testing import Result

from devstack.stack.manager import LocalStack


def test_add_device_prints_credentials_that_work(
    run_hm: Callable[..., Result],
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    unique: str,
) -> None:
    result = run_hm("devices", "add", f"Front Door {unique}", "--venue", "Lab", "--queue", "Label")
    assert result.exit_code == 0, result.output
    email = re.search(r"email:\s+(\S+)", result.output)
    password = re.search(r"password:\s+(\S+)", result.output)
    assert email
    assert password
    assert email.group(1) == f"device-front-door-{unique}@devices.hellomiami.local"
    row = db.execute(
        "select venue, cups_queue from public.devices where name = %s", (f"Front Door {unique}",)
    ).fetchone()
    assert row == ("Lab", "Label")

    session = httpx.post(
        f"{stack.config.api_url}/auth/v1/token?grant_type=password",
        json={"email": email.group(1), "password": password.group(1)},
        headers={"apikey": stack.config.anon_key},
    )
    assert session.status_code == 200, session.text
    headers = {
        "apikey": stack.config.anon_key,
        "Authorization": f"Bearer {session.json()['access_token']}",
    }
    claimed = httpx.post(
        f"{stack.config.api_url}/rest/v1/rpc/claim_print_jobs", json={}, headers=headers
    )
    assert claimed.status_code == 200, claimed.text
    assert claimed.json() == []
    beat = httpx.post(
        f"{stack.config.api_url}/rest/v1/rpc/device_heartbeat",
        json={"p_printer_state": "idle"},
        headers=headers,
    )
    assert beat.status_code in (200, 204), beat.text

    listed = run_hm("devices", "list")
    assert listed.exit_code == 0
    assert "idle" in listed.output


def test_duplicate_device_name_is_refused_without_a_stray_login(
    run_hm: Callable[..., Result], db: psycopg.Connection[tuple[Any, ...]], unique: str
) -> None:
    assert run_hm("devices", "add", f"kiosk-{unique}").exit_code == 0
    again = run_hm("devices", "add", f"Kiosk {unique}")
    assert again.exit_code == 1
    assert "error" in again.output
    logins = db.execute(
        "select count(*) from auth.users where email = %s",
        (f"device-kiosk-{unique}@devices.hellomiami.local",),
    ).fetchone()
    assert logins == (1,)
