"""Signed URLs: a JWT signed with the project's secret naming `bucket/path`, as Supabase does.

The token's `url` claim is the object's `bucket/name`; a token for one object never opens another,
and an expired or altered token is refused. Upload URLs also carry `owner` and `upsert`; a
download token never passes for an upload token, nor the other way round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

from devstack.stack.storage.errors import invalid_jwt, invalid_signature
from devstack.stack.storage.tokens import TokenRejected, verify

# Storage's default lifetime of a signed upload URL (`UPLOAD_SIGNED_URL_EXPIRATION_TIME`).
UPLOAD_URL_LIFETIME = 2 * 60 * 60


@dataclass(frozen=True)
class UploadGrant:
    """What a signed upload URL allows: one object, written for `owner`, replacing or not."""

    owner: str | None
    upsert: bool


def sign_object_url(secret: str, bucket_id: str, name: str, expires_in: int) -> str:
    """The path (relative to the storage URL) that serves the object until `expires_in` passes."""
    url = f"{bucket_id}/{name}"
    now = int(time.time())
    token = jwt.encode({"url": url, "iat": now, "exp": now + expires_in}, secret)
    return f"/object/sign/{url}?token={token}"


def verify_signed_url(secret: str, token: str, bucket_id: str, name: str) -> int:
    """The token's expiry (Unix time) when it is valid for exactly this object."""
    claims = _claims_for(secret, token, bucket_id, name)
    if "upsert" in claims:
        raise invalid_signature()  # an upload URL's token never grants a read
    return int(claims["exp"])


def sign_upload_url(
    secret: str, bucket_id: str, name: str, owner: str | None, upsert: bool
) -> tuple[str, str]:
    """The relative URL and the token that let anyone upload this one object for `owner`."""
    url = f"{bucket_id}/{name}"
    now = int(time.time())
    claims = {"owner": owner, "url": url, "upsert": upsert, "iat": now}
    token = jwt.encode({**claims, "exp": now + UPLOAD_URL_LIFETIME}, secret)
    return f"/object/upload/sign/{url}?token={token}", token


def verify_upload_url(secret: str, token: str, bucket_id: str, name: str) -> UploadGrant:
    claims = _claims_for(secret, token, bucket_id, name)
    if "upsert" not in claims:
        # A download URL's token names the object too, but it never grants a write.
        raise invalid_signature()
    owner = claims.get("owner")
    return UploadGrant(owner=str(owner) if owner else None, upsert=bool(claims["upsert"]))


def _claims_for(secret: str, token: str, bucket_id: str, name: str) -> dict[str, Any]:
    try:
        claims = verify(token, secret)
    except TokenRejected as error:
        raise invalid_jwt(error.message) from error
    if claims.get("url") != f"{bucket_id}/{name}":
        raise invalid_signature()
    return claims
