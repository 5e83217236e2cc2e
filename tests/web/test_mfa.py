"""Two-factor sign-in for staff (issue 16, item 2): in Chromium, an admin without a factor is
sent to enrol before admin pages, enrols with codes computed from the shared secret, signs in
again answering the challenge, turns it off and on, and an owner resets it; over REST, an admin
whose session is aal1 is refused admin functions and RLS until the second factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pyotp
import pytest
from postgrest.exceptions import APIError
from supabase import Client

from tests.web.conftest import BrowserRun, StaffLogin


def test_an_admin_without_aal2_is_refused_admin_functions_until_the_second_factor(
    make_staff: Callable[..., StaffLogin], make_client: Callable[..., Client]
) -> None:
    admin = make_staff("admin")
    assert admin.totp_secret is not None
    client = make_client()
    client.auth.sign_in_with_password({"email": admin.email, "password": admin.password})

    with pytest.raises(APIError) as refused:
        client.rpc("list_staff").execute()
    assert refused.value.message == "not_allowed"
    assert client.table("audit_log").select("id").limit(1).execute().data == []
    # Organizer tools stay open at aal1.
    client.table("contacts").select("id").limit(1).execute()

    [factor] = client.auth.mfa.list_factors().totp
    client.auth.mfa.challenge_and_verify(
        {"factor_id": factor.id, "code": pyotp.TOTP(admin.totp_secret).now()}
    )
    staff = client.rpc("list_staff").execute().data
    assert admin.email in [member["email"] for member in staff]


def test_an_admin_enrols_signs_in_with_a_code_and_an_owner_resets_it(
    make_staff: Callable[..., StaffLogin],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    admin = make_staff("admin", two_factor=False)
    owner = make_staff("owner")

    run = run_browser("mfa", **admin.browser_env("ADMIN"), **owner.browser_env("OWNER"))

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "enrol-required",
        "enrol-scan",
        "enrol-wrong-code",
        "admin-page-after-enrolling",
        "challenge",
        "challenge-es",
        "two-factor-on",
        "owner-reset-two-factor",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    factors = db.execute(
        "select count(*) from auth.mfa_factors where user_id = %s", (admin.user_id,)
    ).fetchone()
    assert factors == (0,)
    reset = db.execute(
        "select a.detail from public.audit_log a where a.action = 'reset_two_factor'"
        " and a.record_id = %s and a.actor_id = %s",
        (admin.user_id, owner.user_id),
    ).fetchall()
    assert reset == [({"factors_removed": 1},)]
