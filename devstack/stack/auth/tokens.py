"""Sessions, access tokens and refresh tokens, as GoTrue issues and rotates them.

An access token is an HS256 JWT with Supabase's claims. A refresh token is a short random
string in auth.refresh_tokens; refreshing revokes it and issues its child. Presenting a revoked
token again is allowed only as GoTrue allows it: it is the parent of the session's active token
(the client lost the answer: it gets that active token back), or it was revoked less than
`refresh_token_reuse_interval` seconds ago. Any other reuse is treated as theft: every token of
the session is revoked and the session ends (`not_after`), so neither the thief nor the victim
can refresh it again. (GoTrue revokes the tokens but leaves a reuse-interval window on the
newest one; the local stand-in closes that window.)
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from devstack.stack.auth.db import Connection, Row, execute, fetch_all, fetch_one
from devstack.stack.auth.errors import AuthApiError, refresh_user_banned
from devstack.stack.auth.settings import AuthSettings
from devstack.stack.auth.users import fetch_user, is_banned, user_json

_TOKEN_ALPHABET = string.ascii_letters + string.digits
REFRESH_TOKEN_LENGTH = 12  # GoTrue's length; 71 bits from a CSPRNG


@dataclass(frozen=True)
class Issuer:
    """What every access token this service signs shares."""

    secret: str
    url: str  # the `iss` claim: the Auth service's public URL
    settings: AuthSettings


@dataclass(frozen=True)
class Client:
    """Who is asking, as recorded on the session."""

    ip: str | None
    user_agent: str | None


def new_refresh_token() -> str:
    return "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(REFRESH_TOKEN_LENGTH))


async def access_token(
    conn: Connection, issuer: Issuer, user: Row, session_id: str
) -> tuple[str, int]:
    """A signed access token for the session, and its expiry (Unix seconds)."""
    session = await fetch_one(conn, "select aal from auth.sessions where id = %s", [session_id])
    methods = await fetch_all(
        conn,
        "select authentication_method, created_at from auth.mfa_amr_claims"
        " where session_id = %s order by created_at desc",
        [session_id],
    )
    now = int(time.time())
    expires_at = now + issuer.settings.jwt_expiry
    claims: dict[str, Any] = {
        "iss": issuer.url,
        "sub": str(user["id"]),
        "aud": user["aud"],
        "exp": expires_at,
        "iat": now,
        "email": user["email"] or "",
        "phone": user["phone"] or "",
        "app_metadata": user["raw_app_meta_data"] or {},
        "user_metadata": user["raw_user_meta_data"] or {},
        "role": user["role"],
        "aal": (session or {}).get("aal") or "aal1",
        "amr": [
            {
                "method": row["authentication_method"],
                "timestamp": int(row["created_at"].timestamp()),
            }
            for row in methods
        ],
        "session_id": session_id,
        "is_anonymous": user["is_anonymous"],
    }
    return jwt.encode(claims, issuer.secret, algorithm="HS256"), expires_at


async def session_json(
    conn: Connection, issuer: Issuer, user: Row, session_id: str, refresh_token: str
) -> dict[str, Any]:
    token, expires_at = await access_token(conn, issuer, user, session_id)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": issuer.settings.jwt_expiry,
        "expires_at": expires_at,
        "refresh_token": refresh_token,
        "user": await user_json(conn, user),
    }


async def start_session(
    conn: Connection, issuer: Issuer, user: Row, method: str, provider: str, client: Client
) -> dict[str, Any]:
    """A new session for a user who just proved who they are (`method`: password, otp) with
    one of their identities (`provider`: email, phone)."""
    session_id = str(uuid.uuid4())
    await execute(
        conn,
        "insert into auth.sessions (id, user_id, aal, user_agent, ip, refreshed_at)"
        " values (%s, %s, 'aal1', %s, %s, now() at time zone 'utc')",
        [session_id, user["id"], client.user_agent, client.ip],
    )
    await execute(
        conn,
        "insert into auth.mfa_amr_claims (session_id, authentication_method) values (%s, %s)",
        [session_id, method],
    )
    refresh_token = new_refresh_token()
    await execute(
        conn,
        "insert into auth.refresh_tokens (instance_id, token, user_id, revoked, session_id)"
        " values (%s, %s, %s, false, %s)",
        [user["instance_id"], refresh_token, str(user["id"]), session_id],
    )
    signed_in = await fetch_one(
        conn,
        "update auth.users set last_sign_in_at = now(), updated_at = now() where id = %s"
        " returning *",
        [user["id"]],
    )
    assert signed_in is not None
    await execute(
        conn,
        "update auth.identities set last_sign_in_at = now() where user_id = %s and provider = %s",
        [user["id"], provider],
    )
    return await session_json(conn, issuer, signed_in, session_id, refresh_token)


async def refresh_session(
    conn: Connection, issuer: Issuer, presented: str, client: Client
) -> dict[str, Any]:
    """The refresh_token grant. Commits its own transaction(s): a detected reuse must stay
    revoked even though the request fails."""
    reuse_detected = False
    async with conn.transaction():
        token = await fetch_one(
            conn,
            """
            select rt.*, s.not_after, (s.not_after is not null and s.not_after <= now()) as ended,
                   rt.updated_at + make_interval(secs => %s) < now() as outside_reuse_interval
            from auth.refresh_tokens rt join auth.sessions s on s.id = rt.session_id
            where rt.token = %s
            for update of rt, s
            """,
            [issuer.settings.refresh_token_reuse_interval, presented],
        )
        if token is None:
            raise AuthApiError(
                400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"
            )
        user = await fetch_user(conn, token["user_id"])
        if user is None:
            raise AuthApiError(
                400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"
            )
        if is_banned(user):
            raise refresh_user_banned()
        if token["ended"]:
            raise AuthApiError(400, "session_expired", "Invalid Refresh Token: Session Expired")
        session_id = str(token["session_id"])
        issued: str | None = None
        if token["revoked"]:
            active = await fetch_one(
                conn,
                "select token, parent from auth.refresh_tokens"
                " where session_id = %s and not revoked order by id desc limit 1",
                [session_id],
            )
            if active is not None and active["parent"] == presented:
                issued = active["token"]
            elif token["outside_reuse_interval"] and issuer.settings.refresh_token_rotation:
                await execute(
                    conn,
                    "update auth.refresh_tokens set revoked = true, updated_at = now()"
                    " where session_id = %s and not revoked",
                    [session_id],
                )
                await execute(
                    conn, "update auth.sessions set not_after = now() where id = %s", [session_id]
                )
                reuse_detected = True
        if not reuse_detected:
            if issued is None:
                issued = new_refresh_token()
                await execute(
                    conn,
                    "update auth.refresh_tokens set revoked = true, updated_at = now()"
                    " where id = %s",
                    [token["id"]],
                )
                await execute(
                    conn,
                    "insert into auth.refresh_tokens"
                    " (instance_id, token, user_id, revoked, parent, session_id)"
                    " values (%s, %s, %s, false, %s, %s)",
                    [token["instance_id"], issued, token["user_id"], presented, session_id],
                )
            await execute(
                conn,
                "update auth.sessions set refreshed_at = now() at time zone 'utc',"
                " updated_at = now(), user_agent = %s, ip = %s where id = %s",
                [client.user_agent, client.ip, session_id],
            )
            return await session_json(conn, issuer, user, session_id, issued)
    raise AuthApiError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
