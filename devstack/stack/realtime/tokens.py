"""Checking the JWT a channel joins with, with Supabase Realtime's error codes and messages."""

from __future__ import annotations

import time
from typing import Any

import jwt


class TokenError(Exception):
    """A token Supabase Realtime refuses: `code` and `message` as it reports them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def verify(token: str, secret: str) -> dict[str, Any]:
    """The claims of a valid, unexpired token carrying `role` and `exp`."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(),
            secret,
            algorithms=["HS256", "HS384", "HS512"],
            options={"verify_aud": False, "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError as error:
        raise TokenError("JwtSignatureError", "Failed to validate JWT signature") from error
    except jwt.InvalidTokenError as error:
        raise TokenError("MalformedJWT", "The token provided is not a valid JWT") from error
    if "role" not in claims or "exp" not in claims:
        raise TokenError("InvalidJWTToken", "Fields `role` and `exp` are required in JWT")
    seconds_left = seconds_until_expiry(claims)
    if seconds_left <= 0:
        raise TokenError("InvalidJWTToken", f"Token has expired {-seconds_left} seconds ago")
    return claims


def seconds_until_expiry(claims: dict[str, Any]) -> int:
    return int(claims["exp"]) - int(time.time())
