"""Reading a request the way GoTrue does: JSON bodies, the caller's token, the client's address."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from starlette.requests import Request

from devstack.stack.auth.db import Connection, Row, fetch_one
from devstack.stack.auth.errors import (
    AuthApiError,
    bad_json,
    bad_jwt,
    no_authorization,
    not_admin,
    user_banned_forbidden,
)
from devstack.stack.auth.tokens import Client
from devstack.stack.auth.users import fetch_user, is_banned

_BEARER = re.compile(r"^[Bb]earer (\S+)$")
ADMIN_ROLES = frozenset({"service_role", "supabase_admin"})


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise bad_json(str(error)) from error
    if not isinstance(body, dict):
        raise bad_json("expected a JSON object")
    return body


def client_of(request: Request) -> Client:
    """The client's address: the first X-Forwarded-For hop when a proxy in front of the gateway
    sets one (as hosted Supabase's edge does), otherwise the connection's peer."""
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    peer = request.client.host if request.client else None
    return Client(ip=forwarded or peer, user_agent=request.headers.get("user-agent"))


def verified_claims(request: Request, secret: str) -> dict[str, Any]:
    match = _BEARER.match(request.headers.get("authorization", ""))
    if not match:
        raise no_authorization()
    try:
        claims: dict[str, Any] = jwt.decode(
            match[1], secret, algorithms=["HS256"], options={"verify_aud": False}
        )
    except jwt.InvalidTokenError as error:
        raise bad_jwt(f"invalid JWT: unable to parse or verify signature, {error}") from error
    return claims


def require_admin(request: Request, secret: str) -> dict[str, Any]:
    claims = verified_claims(request, secret)
    if claims.get("role") not in ADMIN_ROLES:
        raise not_admin()
    return claims


@dataclass(frozen=True)
class Caller:
    """A signed-in user, from the access token in `Authorization`."""

    user: Row
    session_id: str | None


async def authenticate(conn: Connection, request: Request, secret: str) -> Caller:
    claims = verified_claims(request, secret)
    subject = claims.get("sub")
    if not subject:
        raise bad_jwt("invalid claim: missing sub claim")
    try:
        user_id = str(uuid.UUID(str(subject)))
    except ValueError as error:
        raise AuthApiError(400, "bad_jwt", "invalid claim: sub claim must be a UUID") from error
    user = await fetch_user(conn, user_id)
    if user is None:
        raise AuthApiError(403, "user_not_found", "User from sub claim in JWT does not exist")
    session_id = claims.get("session_id")
    if session_id:
        try:
            session_id = str(uuid.UUID(str(session_id)))
        except ValueError as error:
            raise bad_jwt("invalid claim: session_id claim must be a UUID") from error
        session = await fetch_one(conn, "select id from auth.sessions where id = %s", [session_id])
        if session is None:
            raise AuthApiError(
                403, "session_not_found", "Session from session_id claim in JWT does not exist"
            )
    # As GoTrue: an access token issued before the ban no longer works here (PostgREST still
    # accepts it until it expires; the database's own checks cover that).
    if is_banned(user):
        raise user_banned_forbidden()
    return Caller(user=user, session_id=str(session_id) if session_id else None)
