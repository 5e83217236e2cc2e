"""Settings from supabase/config.toml with env overrides, the hook-less log, and small parsers."""

from __future__ import annotations

import logging
from datetime import timedelta

import psycopg
import pytest

from devstack.stack.auth.admin import parse_ban_duration
from devstack.stack.auth.errors import AuthApiError
from devstack.stack.auth.hooks import send_sms
from devstack.stack.auth.settings import AuthSettings, SmsHook, parse_seconds
from devstack.stack.manager import LocalStack

OVERRIDES = (
    "HM_AUTH_JWT_EXPIRY",
    "HM_AUTH_REFRESH_TOKEN_REUSE_INTERVAL",
    "HM_AUTH_SMS_OTP_EXPIRY",
    "HM_AUTH_SMS_MAX_FREQUENCY",
    "HM_AUTH_SMS_HOOK_URI",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_come_from_config_toml(clean_env: pytest.MonkeyPatch) -> None:
    settings = AuthSettings.load()
    assert settings.jwt_expiry == 3600
    assert settings.refresh_token_reuse_interval == 10
    assert settings.sms_max_frequency == 60
    assert settings.otp_length == 6
    assert settings.otp_expiry == 300
    assert settings.otp_max_attempts == 5
    assert settings.sms_max_per_hour == 5
    assert settings.sms_max_per_ip_per_hour == 30
    assert settings.email_autoconfirm is True
    assert settings.phone_autoconfirm is False
    assert settings.sms_hook == SmsHook("public", "send_sms_hook")


def test_env_overrides(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HM_AUTH_JWT_EXPIRY", "600")
    clean_env.setenv("HM_AUTH_SMS_OTP_EXPIRY", "120")
    clean_env.setenv("HM_AUTH_SMS_HOOK_URI", "")
    settings = AuthSettings.load()
    assert (settings.jwt_expiry, settings.otp_expiry, settings.sms_hook) == (600, 120, None)


@pytest.mark.parametrize(
    ("text", "seconds"), [("60s", 60), ("5m", 300), ("1h", 3600), ("1m30s", 90), ("45", 45)]
)
def test_config_durations(text: str, seconds: int) -> None:
    assert parse_seconds(text) == seconds


def test_bad_hook_uri_is_refused() -> None:
    with pytest.raises(ValueError, match="pg-functions"):
        SmsHook.parse("https://example.com/hook")


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("24h", timedelta(hours=24)),
        ("1h30m", timedelta(minutes=90)),
        ("1.5s", timedelta(seconds=1.5)),
    ],
)
def test_ban_durations_use_go_syntax(text: str, length: timedelta) -> None:
    assert parse_ban_duration(text) == length


def test_none_lifts_a_ban_and_nonsense_is_refused() -> None:
    assert parse_ban_duration("none") is None
    with pytest.raises(AuthApiError) as refused:
        parse_ban_duration("forever")
    assert refused.value.error_code == "validation_failed"


async def test_without_a_hook_the_code_goes_to_the_stack_log(
    stack: LocalStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hm.auth")
    async with await psycopg.AsyncConnection.connect(stack.config.db_url()) as conn:
        await send_sms(conn, None, {"id": "x", "phone": "15550123456"}, "15550123456", "424242")
    assert "SMS code for +15550123456: 424242" in caplog.text
