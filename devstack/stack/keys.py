"""API keys and access tokens: HS256 JWTs signed with the project's JWT secret."""

from __future__ import annotations

import time
from typing import Any

import jwt

# The Supabase CLI's well-known local secret; the local stack is never exposed beyond loopback.
LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long"
# The CLI's demo keys expire in 2032; ours use the same horizon.
API_KEY_EXPIRY = 1983812996


def api_key(role: str, secret: str) -> str:
    """An anon or service_role API key, shaped like the Supabase CLI's demo keys."""
    return jwt.encode({"iss": "supabase-demo", "role": role, "exp": API_KEY_EXPIRY}, secret)


def access_token(
    secret: str,
    *,
    sub: str,
    role: str = "authenticated",
    ttl_seconds: int = 3600,
    **claims: Any,
) -> str:
    """A user access token with the claims Supabase Auth puts in one."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": "http://127.0.0.1:54321/auth/v1",
        "sub": sub,
        "aud": "authenticated",
        "role": role,
        "iat": now,
        "exp": now + ttl_seconds,
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": now}],
        "app_metadata": {},
        "user_metadata": {},
        "is_anonymous": False,
    }
    payload.update(claims)
    return jwt.encode(payload, secret)


def decode(token: str, secret: str) -> dict[str, Any]:
    """Verify and decode a token; raises jwt.InvalidTokenError when it is bad or expired."""
    claims: dict[str, Any] = jwt.decode(
        token, secret, algorithms=["HS256"], options={"verify_aud": False}
    )
    return claims
