"""TOTP two-factor sign-in on the local Auth service, through supabase-py's `auth.mfa` API and
through supabase-js (test_auth_mfa_js.mjs), as hosted Supabase Auth answers them."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jwt
import psycopg
import pyotp
import pytest
from supabase import Client
from supabase_auth.errors import AuthApiError

from devstack.stack.config import TOOLS_DIR
from devstack.stack.manager import LocalStack

JS_SCRIPT = Path(__file__).with_name("test_auth_mfa_js.mjs")


def new_user(make_client: Callable[..., Client]) -> tuple[str, str]:
    email = f"mfa-{uuid.uuid4().hex[:10]}@example.com"
    password = f"pw {uuid.uuid4().hex[:8]}"
    make_client("service_role").auth.admin.create_user(
        {"email": email, "password": password, "email_confirm": True}
    )
    return email, password


def claims(client: Client) -> dict[str, Any]:
    session = client.auth.get_session()
    assert session is not None
    decoded: dict[str, Any] = jwt.decode(session.access_token, options={"verify_signature": False})
    return decoded


def refused(call: Callable[[], object]) -> AuthApiError:
    with pytest.raises(AuthApiError) as caught:
        call()
    return caught.value


def test_supabase_py_enrols_verifies_signs_in_again_and_unenrols(
    make_client: Callable[..., Client],
) -> None:
    email, password = new_user(make_client)
    client = make_client()
    client.auth.sign_in_with_password({"email": email, "password": password})
    level = client.auth.mfa.get_authenticator_assurance_level()
    assert (level.current_level, level.next_level) == ("aal1", "aal1")

    enrolled = client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Phone app"})
    assert enrolled.type == "totp"
    qr_code = enrolled.totp.qr_code
    assert qr_code.startswith("data:image/svg+xml;utf-8,<svg xmlns=")
    assert "#" not in qr_code, "a # in a data URI would cut the image off"
    assert enrolled.totp.uri == pyotp.TOTP(enrolled.totp.secret).provisioning_uri(
        name=email, issuer_name="127.0.0.1:5173"
    )
    assert unquote(enrolled.totp.uri).startswith(f"otpauth://totp/127.0.0.1:5173:{email}?")
    listed = client.auth.mfa.list_factors()
    assert [(f.id, f.status) for f in listed.all] == [(enrolled.id, "unverified")]
    assert listed.totp == []  # only verified factors count as usable

    conflict = refused(
        lambda: client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Phone app"})
    )
    assert (conflict.status, conflict.code) == (422, "mfa_factor_name_conflict")

    totp = pyotp.TOTP(enrolled.totp.secret)
    challenge = client.auth.mfa.challenge({"factor_id": enrolled.id})
    wrong = refused(
        lambda: client.auth.mfa.verify(
            {"factor_id": enrolled.id, "challenge_id": challenge.id, "code": "12345x"}
        )
    )
    assert (wrong.status, wrong.code) == (422, "mfa_verification_failed")
    client.auth.mfa.verify(
        {"factor_id": enrolled.id, "challenge_id": challenge.id, "code": totp.now()}
    )
    upgraded = claims(client)
    assert upgraded["aal"] == "aal2"
    assert [entry["method"] for entry in upgraded["amr"]] == ["totp", "password"]
    level = client.auth.mfa.get_authenticator_assurance_level()
    assert (level.current_level, level.next_level) == ("aal2", "aal2")
    spent = refused(
        lambda: client.auth.mfa.verify(
            {"factor_id": enrolled.id, "challenge_id": challenge.id, "code": totp.now()}
        )
    )
    assert (spent.status, spent.code) == (422, "mfa_ip_address_mismatch")

    # A new sign-in starts at aal1 and is asked for the second factor.
    again = make_client()
    again.auth.sign_in_with_password({"email": email, "password": password})
    level = again.auth.mfa.get_authenticator_assurance_level()
    assert (level.current_level, level.next_level) == ("aal1", "aal2")
    too_weak = refused(
        lambda: again.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Second"})
    )
    assert (too_weak.status, too_weak.code) == (403, "insufficient_aal")
    cannot_drop = refused(lambda: again.auth.mfa.unenroll({"factor_id": enrolled.id}))
    assert (cannot_drop.status, cannot_drop.code) == (422, "insufficient_aal")
    again.auth.mfa.challenge_and_verify({"factor_id": enrolled.id, "code": totp.now()})
    assert claims(again)["aal"] == "aal2"
    refreshed = again.auth.refresh_session()
    assert refreshed.session is not None
    assert claims(again)["aal"] == "aal2"

    stranger = make_client()
    other_email, other_password = new_user(make_client)
    stranger.auth.sign_in_with_password({"email": other_email, "password": other_password})
    not_theirs = refused(lambda: stranger.auth.mfa.challenge({"factor_id": enrolled.id}))
    assert (not_theirs.status, not_theirs.code) == (404, "mfa_factor_not_found")

    again.auth.mfa.unenroll({"factor_id": enrolled.id})
    assert again.auth.mfa.list_factors().all == []
    again.auth.refresh_session()
    assert claims(again)["aal"] == "aal1"


def test_only_totp_is_offered_and_input_is_checked(make_client: Callable[..., Client]) -> None:
    email, password = new_user(make_client)
    client = make_client()
    client.auth.sign_in_with_password({"email": email, "password": password})
    phone = refused(
        lambda: client.auth.mfa.enroll({"factor_type": "phone", "phone": "+13055550100"})
    )
    assert (phone.status, phone.code) == (422, "mfa_phone_enroll_not_enabled")
    enrolled = client.auth.mfa.enroll({"factor_type": "totp"})
    empty = refused(
        lambda: client.auth.mfa.verify(
            {"factor_id": enrolled.id, "challenge_id": str(uuid.uuid4()), "code": ""}
        )
    )
    assert (empty.status, empty.code) == (400, "validation_failed")
    unknown = refused(
        lambda: client.auth.mfa.verify(
            {"factor_id": enrolled.id, "challenge_id": str(uuid.uuid4()), "code": "123456"}
        )
    )
    assert (unknown.status, unknown.code) == (422, "mfa_factor_not_found")
    # An unverified factor goes without aal2.
    client.auth.mfa.unenroll({"factor_id": enrolled.id})
    assert client.auth.mfa.list_factors().all == []


def test_supabase_js_enrols_and_verifies_with_otpauth_codes(stack: LocalStack) -> None:
    env = {
        **os.environ,
        **stack.config.client_env(),
        "NODE_PATH": str(TOOLS_DIR / "node_modules"),
        "TEST_EMAIL": f"mfa-js-{uuid.uuid4().hex[:10]}@example.com",
    }
    done = subprocess.run(
        ["node", str(JS_SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"ok": True}


def test_limits_and_expiry(
    make_client: Callable[..., Client], db: psycopg.Connection[tuple[Any, ...]]
) -> None:
    email, password = new_user(make_client)
    client = make_client()
    client.auth.sign_in_with_password({"email": email, "password": password})
    factor_ids = [
        client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": f"Phone {n}"}).id
        for n in range(10)
    ]
    too_many = refused(
        lambda: client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Eleventh"})
    )
    assert (too_many.status, too_many.code) == (422, "too_many_enrolled_mfa_factors")

    challenge = client.auth.mfa.challenge({"factor_id": factor_ids[0]})
    db.execute(
        "update auth.mfa_challenges set created_at = now() - interval '301 seconds' where id = %s",
        (challenge.id,),
    )
    secret = db.execute(
        "select secret from auth.mfa_factors where id = %s", (factor_ids[0],)
    ).fetchone()
    assert secret is not None
    expired = refused(
        lambda: client.auth.mfa.verify(
            {
                "factor_id": factor_ids[0],
                "challenge_id": challenge.id,
                "code": pyotp.TOTP(secret[0]).now(),
            }
        )
    )
    assert (expired.status, expired.code) == (422, "mfa_challenge_expired")

    # Unverified factors expire too: the next enrolment clears those older than 5 minutes.
    db.execute(
        "update auth.mfa_factors set created_at = now() - interval '301 seconds'"
        " where id = any(%s::uuid[])",
        (factor_ids,),
    )
    client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Fresh"})
    assert [factor.friendly_name for factor in client.auth.mfa.list_factors().all] == ["Fresh"]
