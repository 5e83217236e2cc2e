"""What the local Auth service reads from `supabase/config.toml` [auth], with env overrides.

Only keys the Supabase CLI itself knows are read from config.toml (it rejects others); what it
has no key for is environment-only. Every default is hosted Supabase Auth's. All variables are
optional.

| variable                                | config.toml                              | default |
|-----------------------------------------|------------------------------------------|---------|
| HM_AUTH_JWT_EXPIRY                      | [auth] jwt_expiry                        | 3600    |
| HM_AUTH_REFRESH_TOKEN_REUSE_INTERVAL    | [auth] refresh_token_reuse_interval      | 10      |
| HM_AUTH_SMS_MAX_FREQUENCY (seconds)     | [auth.sms] max_frequency ("60s")         | 60      |
| HM_AUTH_RATE_LIMIT_SMS_SENT (per hour)  | [auth.rate_limit] sms_sent (1)           | 30      |
| HM_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS     | [auth.rate_limit] sign_in_sign_ups (2)   | 30      |
| HM_AUTH_SMS_HOOK_URI ("" = no hook)     | [auth.hook.send_sms] uri, if enabled     | none    |
| HM_AUTH_SMS_OTP_LENGTH                  | — (dashboard: SMS OTP length)            | 6       |
| HM_AUTH_SMS_OTP_EXPIRY (seconds)        | — (dashboard: SMS OTP expiry)            | 60      |
| HM_AUTH_SMS_OTP_MAX_ATTEMPTS            | — (local stand-in only)                  | 5       |
| —                                       | [auth] site_url (TOTP issuer's default)  | —       |
| —                                       | [auth.mfa] max_enrolled_factors          | 10      |
| —                                       | [auth.mfa.totp] enroll_enabled           | true    |
| —                                       | [auth.mfa.totp] verify_enabled           | true    |

(1) For the whole project, as hosted (GoTrue's RATE_LIMIT_SMS_SENT): the 31st code in an hour
is refused whoever asks. (2) Per client IP in 5 minutes (GoTrue's RATE_LIMIT_OTP); the local
stand-in counts the codes sent to that IP. Signup and autoconfirm follow [auth] enable_signup,
[auth.email] and [auth.sms] enable_signup / enable_confirmations. Without a Send-SMS hook the
code is written to the gateway's log (the stack log).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.stack.config import SUPABASE_DIR

_HOOK_URI = re.compile(
    r"^pg-functions://(?P<database>[^/]+)/(?P<schema>[A-Za-z_][\w$]*)/(?P<function>[A-Za-z_][\w$]*)$"
)
# Go's time.ParseDuration syntax, which config.toml durations and GoTrue's ban_duration use.
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_GO_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


@dataclass(frozen=True)
class SmsHook:
    """A Postgres function hook: `pg-functions://postgres/<schema>/<function>`."""

    schema: str
    function: str
    database: str = "postgres"

    @classmethod
    def parse(cls, uri: str) -> SmsHook:
        match = _HOOK_URI.match(uri)
        if not match:
            raise ValueError(f"unsupported Send-SMS hook URI {uri!r} (want pg-functions://…)")
        return cls(match["schema"], match["function"], match["database"])

    @property
    def uri(self) -> str:
        """The URI as configured; Supabase Auth names it in its error when the hook fails."""
        return f"pg-functions://{self.database}/{self.schema}/{self.function}"


@dataclass(frozen=True)
class AuthSettings:
    jwt_expiry: int = 3600
    refresh_token_rotation: bool = True
    refresh_token_reuse_interval: int = 10
    email_signup: bool = True
    email_autoconfirm: bool = True
    phone_signup: bool = True
    phone_autoconfirm: bool = False
    otp_length: int = 6
    otp_expiry: int = 60
    otp_max_attempts: int = 5
    sms_max_frequency: int = 60
    sms_sent_per_hour: int = 30
    sign_in_sign_ups_per_5_minutes: int = 30
    sms_hook: SmsHook | None = None
    password_min_length: int = 6
    site_url: str = "http://127.0.0.1:5173"
    mfa_max_enrolled_factors: int = 10
    # GoTrue's MFA_MAX_VERIFIED_FACTORS, MFA_CHALLENGE_EXPIRY_DURATION and
    # MFA_FACTOR_EXPIRY_DURATION (an unverified factor is deleted this long after enrolment).
    mfa_max_verified_factors: int = 10
    mfa_challenge_expiry: int = 300
    mfa_factor_expiry: int = 300
    mfa_totp_enroll: bool = True
    mfa_totp_verify: bool = True

    @classmethod
    def load(cls, config_file: Path = SUPABASE_DIR / "config.toml") -> AuthSettings:
        auth: dict[str, Any] = {}
        if config_file.exists():
            with config_file.open("rb") as handle:
                auth = tomllib.load(handle).get("auth", {})
        email, sms = auth.get("email", {}), auth.get("sms", {})
        rate_limit = auth.get("rate_limit", {})
        hook = auth.get("hook", {}).get("send_sms", {})
        mfa = auth.get("mfa", {})
        totp = mfa.get("totp", {})
        hook_uri = str(hook.get("uri", "")) if hook.get("enabled", False) else ""
        hook_uri = os.environ.get("HM_AUTH_SMS_HOOK_URI", hook_uri)
        return cls(
            jwt_expiry=_int("HM_AUTH_JWT_EXPIRY", auth.get("jwt_expiry", 3600)),
            refresh_token_rotation=bool(auth.get("enable_refresh_token_rotation", True)),
            refresh_token_reuse_interval=_int(
                "HM_AUTH_REFRESH_TOKEN_REUSE_INTERVAL", auth.get("refresh_token_reuse_interval", 10)
            ),
            email_signup=bool(auth.get("enable_signup", True) and email.get("enable_signup", True)),
            email_autoconfirm=not email.get("enable_confirmations", False),
            phone_signup=bool(auth.get("enable_signup", True) and sms.get("enable_signup", True)),
            phone_autoconfirm=not sms.get("enable_confirmations", False),
            otp_length=_int("HM_AUTH_SMS_OTP_LENGTH", 6),
            otp_expiry=_int("HM_AUTH_SMS_OTP_EXPIRY", 60),
            otp_max_attempts=_int("HM_AUTH_SMS_OTP_MAX_ATTEMPTS", 5),
            sms_max_frequency=_int(
                "HM_AUTH_SMS_MAX_FREQUENCY", parse_seconds(str(sms.get("max_frequency", "60s")))
            ),
            sms_sent_per_hour=_int("HM_AUTH_RATE_LIMIT_SMS_SENT", rate_limit.get("sms_sent", 30)),
            sign_in_sign_ups_per_5_minutes=_int(
                "HM_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS", rate_limit.get("sign_in_sign_ups", 30)
            ),
            sms_hook=SmsHook.parse(hook_uri) if hook_uri else None,
            site_url=str(auth.get("site_url", cls.site_url)),
            mfa_max_enrolled_factors=int(mfa.get("max_enrolled_factors", 10)),
            mfa_totp_enroll=bool(totp.get("enroll_enabled", True)),
            mfa_totp_verify=bool(totp.get("verify_enabled", True)),
        )


def go_duration_seconds(value: str) -> float:
    """Seconds in a Go duration such as "60s", "1h30m" or "1.5s"; ValueError otherwise."""
    if not value or _GO_DURATION_PART.sub("", value) != "":
        raise ValueError(f"invalid duration {value!r} (want e.g. 60s, 5m, 1h30m)")
    return sum(
        float(amount) * _GO_UNIT_SECONDS[unit] for amount, unit in _GO_DURATION_PART.findall(value)
    )


def parse_seconds(value: str) -> int:
    """config.toml durations ("60s", "5m") in whole seconds; a bare number counts as seconds."""
    text = value.strip()
    return int(text) if text.isdigit() else round(go_duration_seconds(text))


def _int(variable: str, fallback: object) -> int:
    return int(os.environ.get(variable, str(fallback)))
