"""`hm staff …` against the session stack: Auth admin API + the staff SQL functions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from typer.testing import Result

from devstack.stack.manager import LocalStack

PASSWORD = re.compile(r"one-time password: (\S+)")


def sign_in(stack: LocalStack, email: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{stack.config.api_url}/auth/v1/token?grant_type=password",
        json={"email": email, "password": password},
        headers={"apikey": stack.config.anon_key},
    )


def test_add_creates_a_login_that_is_staff(
    run_hm: Callable[..., Result],
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    unique: str,
) -> None:
    email = f"org-{unique}@hellomiami.local"
    result = run_hm("staff", "add", email, "--role", "organizer", "--name", "Orla")
    assert result.exit_code == 0, result.output
    match = PASSWORD.search(result.output)
    assert match, result.output
    row = db.execute(
        "select s.level::text, s.status, s.display_name from public.staff s "
        "join auth.users u on u.id = s.user_id where u.email = %s",
        (email,),
    ).fetchone()
    assert row == ("organizer", "active", "Orla")
    session = sign_in(stack, email, match.group(1))
    assert session.status_code == 200, session.text
    level = httpx.post(
        f"{stack.config.api_url}/rest/v1/rpc/my_staff_level",
        json={},
        headers={
            "apikey": stack.config.anon_key,
            "Authorization": f"Bearer {session.json()['access_token']}",
        },
    )
    assert level.json() == "organizer"


def test_list_set_role_disable_enable(
    run_hm: Callable[..., Result], db: psycopg.Connection[tuple[Any, ...]], unique: str
) -> None:
    email = f"vol-{unique}@hellomiami.local"
    assert run_hm("staff", "add", email, "--role", "volunteer").exit_code == 0

    listed = run_hm("staff", "list")
    assert listed.exit_code == 0
    assert email in listed.output

    promoted = run_hm("staff", "set-role", email, "admin")
    assert promoted.exit_code == 0, promoted.output
    assert f"{email} is now admin" in promoted.output

    disabled = run_hm("staff", "disable", email)
    assert disabled.exit_code == 0
    status = db.execute(
        "select s.status from public.staff s join auth.users u on u.id = s.user_id "
        "where u.email = %s",
        (email,),
    ).fetchone()
    assert status == ("disabled",)

    assert run_hm("staff", "enable", email).exit_code == 0


def test_refusals_exit_1_with_a_clear_message(
    run_hm: Callable[..., Result], db: psycopg.Connection[tuple[Any, ...]], unique: str
) -> None:
    bad_role = run_hm("staff", "add", f"x-{unique}@hellomiami.local", "--role", "boss")
    assert bad_role.exit_code == 1
    assert "unknown role 'boss'" in bad_role.output

    missing = run_hm("staff", "set-role", f"nobody-{unique}@hellomiami.local", "admin")
    assert missing.exit_code == 1
    assert "no staff member" in missing.output

    email = f"dup-{unique}@hellomiami.local"
    assert run_hm("staff", "add", email, "--role", "volunteer").exit_code == 0
    again = run_hm("staff", "add", email, "--role", "volunteer")
    assert again.exit_code == 1
    assert "email_exists" in again.output
    count = db.execute("select count(*) from auth.users where email = %s", (email,)).fetchone()
    assert count == (1,)
