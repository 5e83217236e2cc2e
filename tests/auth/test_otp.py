"""Phone one-time codes through the Send-SMS hook, with supabase-py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from auth_helpers import HOOK_URI, present
from supabase import Client
from supabase_auth.errors import AuthApiError

MakeClient = Callable[..., Client]
DbExec = Callable[..., list[tuple[Any, ...]]]
LastCode = Callable[[str], str | None]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@dataclass(frozen=True)
class SentCode:
    client: Client
    phone: str
    code: str


@pytest.fixture
def sent_code(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    last_code: LastCode,
) -> SentCode:
    """A code sent to a fresh phone from a fresh IP: no other test's sends count against the
    per-phone and per-IP SMS limits."""
    phone = unique_phone()
    client = auth_client(ip=unique_ip())
    client.auth.sign_in_with_otp({"phone": phone})
    code = last_code(phone)
    assert code is not None
    return SentCode(client, phone, code)


def test_first_code_signs_up_and_confirms_the_phone(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    last_code: LastCode,
    db_exec: DbExec,
) -> None:
    phone = unique_phone()
    client = auth_client(ip=unique_ip())
    client.auth.sign_in_with_otp({"phone": phone, "options": {"data": {"name": "Grace"}}})

    code = last_code(phone)
    assert code is not None
    assert len(code) == 6
    assert code.isdigit()
    stored = db_exec(
        "select t.token_hash, u.phone_confirmed_at from auth.one_time_tokens t"
        " join auth.users u on u.id = t.user_id where u.phone = %s",
        [phone.removeprefix("+")],
    )
    assert len(stored) == 1
    assert code not in stored[0][0]
    assert stored[0][1] is None

    session = client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"}).session
    user = present(session).user
    assert user.phone == phone.removeprefix("+")
    assert user.phone_confirmed_at is not None
    assert user.user_metadata == {"name": "Grace"}
    assert user.app_metadata == {"provider": "phone", "providers": ["phone"]}
    assert present(user.identities)[0].provider == "phone"
    assert present(client.auth.get_user()).user.id == user.id
    assert db_exec("select count(*) from auth.one_time_tokens where user_id = %s", [user.id]) == [
        (0,)
    ]


def test_hook_runs_as_supabase_auth_admin_with_supabase_event_shape(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    phone, ip = unique_phone(), unique_ip()
    auth_client(ip=ip).auth.sign_in_with_otp({"phone": phone})
    [(event, called_as)] = db_exec(
        "select event, called_as from auth_tests.sms_events where event -> 'sms' ->> 'phone' = %s",
        [phone.removeprefix("+")],
    )
    assert called_as == "supabase_auth_admin"
    # v0hooks.SendSMSInput: metadata, user, sms {otp, phone}; sms_type is never set for SMS.
    assert set(event) == {"metadata", "user", "sms"}
    assert set(event["sms"]) == {"otp", "phone"}
    assert event["sms"]["phone"] == event["user"]["phone"] == phone.removeprefix("+")
    assert event["metadata"]["name"] == "send-sms"
    assert event["metadata"]["ip_address"] == ip
    assert set(event["metadata"]) == {"uuid", "time", "name", "ip_address"}
    assert {"id", "aud", "role", "phone", "app_metadata", "user_metadata"} <= set(event["user"])


def test_existing_user_signs_in_with_a_code(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    last_code: LastCode,
    db_exec: DbExec,
) -> None:
    phone = unique_phone()
    admin = auth_client("service_role")
    created = admin.auth.admin.create_user({"phone": phone, "phone_confirm": True}).user
    client = auth_client(ip=unique_ip())
    client.auth.sign_in_with_otp({"phone": phone, "options": {"should_create_user": False}})
    code = last_code(phone)
    assert code is not None
    session = client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"}).session
    assert present(session).user.id == created.id


def test_no_signup_when_create_user_is_false(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    phone = unique_phone()
    with pytest.raises(AuthApiError) as refused:
        auth_client(ip=unique_ip()).auth.sign_in_with_otp(
            {"phone": phone, "options": {"should_create_user": False}}
        )
    assert (refused.value.status, refused.value.code) == (422, "otp_disabled")
    assert db_exec("select count(*) from auth.users where phone = %s", [phone[1:]]) == [(0,)]


def test_wrong_code_refused_and_sixth_attempt_locked_out(sent_code: SentCode) -> None:
    client, phone, code = sent_code.client, sent_code.phone, sent_code.code
    for _ in range(5):
        with pytest.raises(AuthApiError) as refused:
            client.auth.verify_otp({"phone": phone, "token": wrong(code), "type": "sms"})
        assert (refused.value.status, refused.value.code) == (403, "otp_expired")
    # Five wrong guesses spend the code: even the right one is refused now.
    with pytest.raises(AuthApiError) as locked:
        client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"})
    assert (locked.value.status, locked.value.code) == (403, "otp_expired")


def test_code_works_after_fewer_than_five_wrong_guesses(sent_code: SentCode) -> None:
    client, phone, code = sent_code.client, sent_code.phone, sent_code.code
    for _ in range(4):
        with pytest.raises(AuthApiError):
            client.auth.verify_otp({"phone": phone, "token": wrong(code), "type": "sms"})
    assert client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"}).session


def test_expired_code_is_otp_expired(sent_code: SentCode, db_exec: DbExec) -> None:
    client, phone, code = sent_code.client, sent_code.phone, sent_code.code
    db_exec(
        "update auth.one_time_tokens set created_at = created_at - interval '301 seconds'"
        " where relates_to = %s",
        [phone[1:]],
    )
    with pytest.raises(AuthApiError) as expired:
        client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"})
    assert (expired.value.status, expired.value.code) == (403, "otp_expired")
    assert expired.value.message == "Token has expired or is invalid"


def test_code_for_unknown_phone_is_refused(
    auth_client: MakeClient, unique_phone: Callable[[], str]
) -> None:
    with pytest.raises(AuthApiError) as refused:
        auth_client().auth.verify_otp({"phone": unique_phone(), "token": "123456", "type": "sms"})
    assert (refused.value.status, refused.value.code) == (403, "otp_expired")


def test_resend_interval_is_max_frequency(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    phone = unique_phone()
    client = auth_client(ip=unique_ip())
    client.auth.sign_in_with_otp({"phone": phone})
    with pytest.raises(AuthApiError) as too_soon:
        client.auth.sign_in_with_otp({"phone": phone})
    assert (too_soon.value.status, too_soon.value.code) == (429, "over_sms_send_rate_limit")
    assert (
        "after 60 seconds" in too_soon.value.message or "after 59 seconds" in too_soon.value.message
    )
    db_exec(
        "update auth.sms_sends set sent_at = sent_at - interval '61 seconds' where phone = %s",
        [phone[1:]],
    )
    client.auth.sign_in_with_otp({"phone": phone})


def test_31st_code_of_the_hour_is_refused_for_the_whole_project(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    """Hosted Supabase counts SMS per project (RATE_LIMIT_SMS_SENT, 30 an hour by default), not
    per phone or IP: at a door, the 31st attendee signing in within an hour gets a 429."""
    for _ in range(30):
        auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": unique_phone()})
    thirty_first = unique_phone()
    with pytest.raises(AuthApiError) as refused:
        auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": thirty_first})
    assert (refused.value.status, refused.value.code) == (429, "over_sms_send_rate_limit")
    assert refused.value.message == "SMS rate limit exceeded"
    assert db_exec("select count(*) from auth.users where phone = %s", [thirty_first[1:]]) == [(0,)]
    db_exec("update auth.sms_sends set sent_at = sent_at - interval '1 hour'")
    auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": thirty_first})


def test_client_ip_limit_is_per_five_minutes_and_checked_first(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    """A kiosk is one IP: hosted allows it 30 sign-ins in 5 minutes (RATE_LIMIT_OTP), checked
    before the project's hourly SMS count."""
    ip = unique_ip()
    db_exec(
        "insert into auth.sms_sends (phone, ip, sent_at)"
        " select '1555' || g, %s::inet, now() - interval '4 minutes'"
        " from generate_series(1, 29) g",
        [ip],
    )
    kiosk = auth_client(ip=ip)
    kiosk.auth.sign_in_with_otp({"phone": unique_phone()})  # the 30th in five minutes
    with pytest.raises(AuthApiError) as per_ip:
        kiosk.auth.sign_in_with_otp({"phone": unique_phone()})
    assert (per_ip.value.status, per_ip.value.code) == (429, "over_request_rate_limit")
    # Those 30 were also the project's 30 of this hour: another IP meets the project limit.
    with pytest.raises(AuthApiError) as project:
        auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": unique_phone()})
    assert (project.value.status, project.value.code) == (429, "over_sms_send_rate_limit")
    db_exec("update auth.sms_sends set sent_at = sent_at - interval '1 hour'")
    kiosk.auth.sign_in_with_otp({"phone": unique_phone()})


def test_hook_error_reaches_the_client_and_stores_nothing(
    auth_client: MakeClient, unique_ip: Callable[[], str], db_exec: DbExec
) -> None:
    phone = "+15550001234"
    with pytest.raises(AuthApiError) as refused:
        auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": phone})
    # Supabase Auth keeps the hook's status and message; the error code is `unknown`.
    assert (refused.value.status, refused.value.code) == (400, "unknown")
    assert refused.value.message == "This number cannot receive SMS"
    assert db_exec("select count(*) from auth.users where phone = %s", [phone[1:]]) == [(0,)]
    assert db_exec("select count(*) from auth.sms_sends where phone = %s", [phone[1:]]) == [(0,)]


def test_phone_change_is_confirmed_by_a_code_texted_to_the_new_number(
    sent_code: SentCode, unique_phone: Callable[[], str], last_code: LastCode, db_exec: DbExec
) -> None:
    client, old = sent_code.client, sent_code.phone
    new = unique_phone()
    client.auth.verify_otp({"phone": old, "token": sent_code.code, "type": "sms"})

    pending = client.auth.update_user({"phone": new}).user
    assert pending.phone == old[1:]
    assert pending.new_phone == new[1:]
    change_code = last_code(new)
    assert change_code is not None
    # The code went to the new number (sms.phone); the user was still on the old one.
    [(user_phone, new_phone)] = db_exec(
        "select event -> 'user' ->> 'phone', event -> 'user' ->> 'new_phone'"
        " from auth_tests.sms_events where event -> 'sms' ->> 'otp' = %s"
        " and event -> 'sms' ->> 'phone' = %s",
        [change_code, new[1:]],
    )
    assert (user_phone, new_phone) == (old[1:], new[1:])
    changed = client.auth.verify_otp({"phone": new, "token": change_code, "type": "phone_change"})
    assert present(changed.user).phone == new[1:]
    assert present(changed.user).new_phone is None


def test_missing_hook_function_is_a_clear_server_error(
    auth_client: MakeClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    db_exec: DbExec,
) -> None:
    phone = unique_phone()
    db_exec("alter function auth_tests.capture_sms(jsonb) rename to capture_sms_away")
    try:
        with pytest.raises(AuthApiError) as failed:
            auth_client(ip=unique_ip()).auth.sign_in_with_otp({"phone": phone})
    finally:
        db_exec("alter function auth_tests.capture_sms_away(jsonb) rename to capture_sms")
    assert (failed.value.status, failed.value.code) == (500, "unexpected_failure")
    assert failed.value.message == "Error running hook URI: " + HOOK_URI
    assert db_exec("select count(*) from auth.users where phone = %s", [phone[1:]]) == [(0,)]
