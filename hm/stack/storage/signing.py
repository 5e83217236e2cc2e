"""Signed object URLs: a JWT signed with the project's secret naming `bucket/path`, like Supabase.

The token's `url` claim is the object's `bucket/name`; a token for one object never opens another,
and an expired or altered token is refused.
"""

from __future__ import annotations

import time

import jwt

from hm.stack.storage.errors import invalid_jwt, invalid_signature
from hm.stack.storage.tokens import TokenRejected, verify


def sign_object_url(secret: str, bucket_id: str, name: str, expires_in: int) -> str:
    """The path (relative to the storage URL) that serves the object until `expires_in` passes."""
    url = f"{bucket_id}/{name}"
    now = int(time.time())
    token = jwt.encode({"url": url, "iat": now, "exp": now + expires_in}, secret)
    return f"/object/sign/{url}?token={token}"


def verify_signed_url(secret: str, token: str, bucket_id: str, name: str) -> int:
    """The token's expiry (Unix time) when it is valid for exactly this object."""
    try:
        claims = verify(token, secret)
    except TokenRejected as error:
        raise invalid_jwt(error.message) from error
    if claims.get("url") != f"{bucket_id}/{name}":
        raise invalid_signature()
    return int(claims["exp"])
