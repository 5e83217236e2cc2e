"""Supabase Auth's error answers: the error codes, statuses and both JSON shapes.

GoTrue answers `{"code": <status>, "error_code": …, "msg": …}`, or `{"code": <error_code>,
"message": …}` to clients that send `X-Supabase-Api-Version: 2024-01-01` or later (both official
clients do), echoing that header back so they know which shape they got.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

API_VERSION_HEADER = "X-Supabase-Api-Version"
API_VERSION_2024_01_01 = "2024-01-01"
_API_VERSION = re.compile(r"^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")

INVALID_OTP = "Token has expired or is invalid"


class AuthApiError(Exception):
    """An answer Supabase Auth gives with a non-2xx status."""

    def __init__(
        self, status: int, error_code: str, message: str, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.extra = extra or {}

    def response(self, request: Request) -> JSONResponse:
        version = request.headers.get(API_VERSION_HEADER, "")
        if _API_VERSION.match(version) and version >= API_VERSION_2024_01_01:
            body: dict[str, Any] = {"code": self.error_code, "message": self.message}
            headers = {API_VERSION_HEADER: API_VERSION_2024_01_01}
        else:
            body = {"code": self.status, "error_code": self.error_code, "msg": self.message}
            headers = {}
        return JSONResponse({**body, **self.extra}, status_code=self.status, headers=headers)


def validation_failed(message: str) -> AuthApiError:
    return AuthApiError(400, "validation_failed", message)


def bad_json(message: str) -> AuthApiError:
    return AuthApiError(400, "bad_json", f"Could not parse request body as JSON: {message}")


def invalid_credentials() -> AuthApiError:
    return AuthApiError(400, "invalid_credentials", "Invalid login credentials")


def no_authorization() -> AuthApiError:
    return AuthApiError(401, "no_authorization", "This endpoint requires a Bearer token")


def bad_jwt(message: str) -> AuthApiError:
    # GoTrue answers 403 (not 401) for a token it cannot verify.
    return AuthApiError(403, "bad_jwt", message)


def not_admin() -> AuthApiError:
    return AuthApiError(403, "not_admin", "User not allowed")


def user_not_found() -> AuthApiError:
    return AuthApiError(404, "user_not_found", "User not found")


def user_banned() -> AuthApiError:
    """GoTrue's answer to a banned user's password sign-in (checked before the password)."""
    return AuthApiError(400, "user_banned", "User is banned")


def refresh_user_banned() -> AuthApiError:
    """GoTrue's answer to a banned user's refresh (internal/tokens/service.go)."""
    return AuthApiError(400, "user_banned", "Invalid Refresh Token: User Banned")


def user_banned_forbidden() -> AuthApiError:
    """GoTrue's answer to a banned user's code verification, and to any request made with an
    access token issued before the ban (requireAuthentication)."""
    return AuthApiError(403, "user_banned", "User is banned")


def otp_expired() -> AuthApiError:
    return AuthApiError(403, "otp_expired", INVALID_OTP)


def email_exists() -> AuthApiError:
    return AuthApiError(
        422, "email_exists", "A user with this email address has already been registered"
    )


def phone_exists() -> AuthApiError:
    return AuthApiError(
        422, "phone_exists", "A user with this phone number has already been registered"
    )


def weak_password(min_length: int) -> AuthApiError:
    return AuthApiError(
        422,
        "weak_password",
        f"Password should be at least {min_length} characters.",
        {"weak_password": {"reasons": ["length"]}},
    )


def sms_project_limit_reached() -> AuthApiError:
    return AuthApiError(429, "over_sms_send_rate_limit", "SMS rate limit exceeded")


def request_rate_limited() -> AuthApiError:
    return AuthApiError(429, "over_request_rate_limit", "Request rate limit reached")


def sms_rate_limited(retry_after_seconds: int) -> AuthApiError:
    return AuthApiError(
        429,
        "over_sms_send_rate_limit",
        f"For security purposes, you can only request this after {retry_after_seconds} seconds.",
    )
