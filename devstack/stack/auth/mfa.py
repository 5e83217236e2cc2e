"""Multi-factor authentication with TOTP, as Supabase Auth (GoTrue's internal/api/mfa.go) serves it.

`POST /factors` enrols an unverified factor and answers its secret, `otpauth://` URI and QR code
(raw SVG: the official clients turn it into a `data:image/svg+xml` URI themselves);
`POST /factors/{id}/challenge` opens a challenge; `POST /factors/{id}/verify` checks a code
against it, marks the factor verified and upgrades the caller's session to `aal2` (a new access
token with `amr` "totp" and a rotated refresh token); `DELETE /factors/{id}` unenrols. Codes are
checked with pyotp, which implements RFC 6238 with the parameters GoTrue's pquerna/otp uses
(SHA-1, 6 digits, 30 s period, one step of clock skew either way).

Phone and WebAuthn factors are not offered locally: they answer as a project where those are
switched off does.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import pyotp
import segno
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from devstack.stack.auth.db import Connection, Row, execute, fetch_one
from devstack.stack.auth.errors import AuthApiError, validation_failed
from devstack.stack.auth.inputs import Caller, authenticate, client_of, json_body
from devstack.stack.auth.tokens import Issuer, new_refresh_token, session_json
from devstack.stack.auth.users import fetch_user

TOTP_PERIOD_SKEW = 1  # GoTrue's totp.ValidateOpts{Skew: 1}
QR_MODULE_SIZE = 3  # GoTrue's DefaultQRSize
QR_QUIET_ZONE = 4
UNKNOWN_IP = "0.0.0.0"  # a challenge row needs an address; a client without one gets this


def qr_svg(text: str) -> str:
    """The QR code of `text` as a small SVG, drawn from segno's module matrix.

    No `#` anywhere (colours by name): the clients put this SVG unescaped into a data URI, where
    a `#` would start the URI's fragment and cut the image off."""
    code = segno.make(text, error="h")
    width, height = code.symbol_size(scale=1, border=QR_QUIET_ZONE)
    runs: list[str] = []
    for y, row in enumerate(code.matrix_iter(scale=1, border=QR_QUIET_ZONE)):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * QR_MODULE_SIZE}"'
        f' height="{height * QR_MODULE_SIZE}" viewBox="0 0 {width} {height}"'
        ' shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{height}" fill="white"/>'
        f'<path fill="black" d="{"".join(runs)}"/></svg>'
    )


def insufficient_aal(status: int, message: str) -> AuthApiError:
    return AuthApiError(status, "insufficient_aal", message)


class MfaRoutes:
    def __init__(self, pool: AsyncConnectionPool, issuer: Issuer) -> None:
        self.pool = pool
        self.issuer = issuer
        self.settings = issuer.settings

    async def _signed_in(self, conn: Connection, request: Request) -> tuple[Caller, Row]:
        """The caller and their session row: every MFA endpoint needs both."""
        caller = await authenticate(conn, request, self.issuer.secret)
        session = None
        if caller.session_id is not None:
            session = await fetch_one(
                conn, "select * from auth.sessions where id = %s", [caller.session_id]
            )
        if session is None:
            raise AuthApiError(
                401, "session_not_found", "A valid session is required to manage MFA factors"
            )
        return caller, session

    async def _own_factor(self, conn: Connection, request: Request, caller: Caller) -> Row:
        try:
            factor_id = str(uuid.UUID(request.path_params["factor_id"]))
        except ValueError as error:
            raise AuthApiError(404, "validation_failed", "Invalid factor ID") from error
        factor = await fetch_one(conn, "select * from auth.mfa_factors where id = %s", [factor_id])
        if factor is None or factor["user_id"] != caller.user["id"]:
            raise AuthApiError(404, "mfa_factor_not_found", "Factor not found")
        return factor

    async def enroll(self, request: Request) -> Response:
        body = await json_body(request)
        factor_type = body.get("factor_type")
        if factor_type == "phone":
            raise AuthApiError(
                422, "mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone"
            )
        if factor_type == "webauthn":
            raise AuthApiError(
                422, "mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn"
            )
        if factor_type != "totp":
            raise validation_failed("factor_type needs to be totp, phone, or webauthn")
        if not self.settings.mfa_totp_enroll:
            raise AuthApiError(
                422, "mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP"
            )
        friendly_name = body.get("friendly_name") or ""
        issuer_name = body.get("issuer") or urlsplit(self.settings.site_url).netloc
        if not isinstance(friendly_name, str) or not isinstance(issuer_name, str):
            raise validation_failed("friendly_name and issuer must be strings")
        async with self.pool.connection() as conn:
            caller, session = await self._signed_in(conn, request)
            async with conn.transaction():
                user = await fetch_user(conn, str(caller.user["id"]), lock=True)
                assert user is not None  # authenticate found it
                await self._check_room_for_factor(conn, user, friendly_name, session)
                secret = pyotp.random_base32()  # 160 bits, as pquerna/otp's default
                uri = pyotp.TOTP(secret).provisioning_uri(
                    name=user["email"] or user["phone"] or "", issuer_name=issuer_name
                )
                factor_id = str(uuid.uuid4())
                await execute(
                    conn,
                    "insert into auth.mfa_factors (id, user_id, friendly_name, factor_type,"
                    " status, created_at, updated_at, secret)"
                    " values (%s, %s, %s, 'totp', 'unverified', now(), now(), %s)",
                    [factor_id, user["id"], friendly_name, secret],
                )
        return JSONResponse(
            {
                "id": factor_id,
                "type": "totp",
                "friendly_name": friendly_name,
                "totp": {"qr_code": qr_svg(uri), "secret": secret, "uri": uri},
            }
        )

    async def _check_room_for_factor(
        self, conn: Connection, user: Row, friendly_name: str, session: Row
    ) -> None:
        """GoTrue's validateFactors: expired unverified factors go first, then the name must be
        free (an empty name counts too), the counts below their limits, and a user who already
        has a verified factor must be at aal2 to add another."""
        await execute(
            conn,
            "delete from auth.mfa_factors where status = 'unverified'"
            " and created_at < now() - make_interval(secs => %s)",
            [self.settings.mfa_factor_expiry],
        )
        counts = await fetch_one(
            conn,
            "select count(*) as enrolled,"
            " count(*) filter (where status = 'verified') as verified,"
            " count(*) filter (where coalesce(friendly_name, '') = %s) as same_name"
            " from auth.mfa_factors where user_id = %s",
            [friendly_name, user["id"]],
        )
        assert counts is not None
        if counts["same_name"]:
            raise AuthApiError(
                422,
                "mfa_factor_name_conflict",
                f'A factor with the friendly name "{friendly_name}" for this user already exists',
            )
        if (
            counts["enrolled"] >= self.settings.mfa_max_enrolled_factors
            or counts["verified"] >= self.settings.mfa_max_verified_factors
        ):
            raise AuthApiError(
                422,
                "too_many_enrolled_mfa_factors",
                "Maximum number of verified factors reached, unenroll to continue",
            )
        if counts["verified"] and session["aal"] != "aal2":
            raise insufficient_aal(403, "AAL2 required to enroll a new factor")

    async def challenge(self, request: Request) -> Response:
        client = client_of(request)
        async with self.pool.connection() as conn:
            caller, _ = await self._signed_in(conn, request)
            factor = await self._own_factor(conn, request, caller)
            if not self.settings.mfa_totp_verify:
                raise AuthApiError(
                    422, "mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP"
                )
            challenge_id = str(uuid.uuid4())
            async with conn.transaction():
                created = await fetch_one(
                    conn,
                    "insert into auth.mfa_challenges (id, factor_id, created_at, ip_address)"
                    " values (%s, %s, now(), %s) returning created_at",
                    [challenge_id, factor["id"], client.ip or UNKNOWN_IP],
                )
                await execute(
                    conn,
                    "update auth.mfa_factors set last_challenged_at = now() where id = %s",
                    [factor["id"]],
                )
        assert created is not None
        expires_at = int(created["created_at"].timestamp()) + self.settings.mfa_challenge_expiry
        return JSONResponse(
            {"id": challenge_id, "type": factor["factor_type"], "expires_at": expires_at}
        )

    async def verify(self, request: Request) -> Response:
        body = await json_body(request)
        code = body.get("code")
        if not isinstance(code, str) or not code:
            raise validation_failed("Code needs to be non-empty")
        try:
            challenge_id = str(uuid.UUID(str(body.get("challenge_id"))))
        except ValueError as error:
            raise bad_challenge_id() from error
        client = client_of(request)
        async with self.pool.connection() as conn:
            caller, session = await self._signed_in(conn, request)
            factor = await self._own_factor(conn, request, caller)
            await self._check_challenge(conn, factor, challenge_id, client.ip)
            if not pyotp.TOTP(factor["secret"]).verify(code, valid_window=TOTP_PERIOD_SKEW):
                raise AuthApiError(422, "mfa_verification_failed", "Invalid TOTP code entered")
            async with conn.transaction():
                return JSONResponse(
                    await self._upgrade_session(conn, caller, session, factor, challenge_id)
                )

    async def _check_challenge(
        self, conn: Connection, factor: Row, challenge_id: str, ip: str | None
    ) -> None:
        challenge = await fetch_one(
            conn,
            "select *, created_at < now() - make_interval(secs => %s) as expired"
            " from auth.mfa_challenges where id = %s and factor_id = %s",
            [self.settings.mfa_challenge_expiry, challenge_id, factor["id"]],
        )
        if challenge is None:
            raise bad_challenge_id()
        # GoTrue answers a spent challenge with the IP mismatch error too.
        if challenge["verified_at"] is not None or str(challenge["ip_address"]) != (
            ip or "0.0.0.0"
        ):
            raise AuthApiError(
                422, "mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch."
            )
        if challenge["expired"]:
            await execute(conn, "delete from auth.mfa_challenges where id = %s", [challenge_id])
            raise AuthApiError(
                422,
                "mfa_challenge_expired",
                f"MFA challenge {challenge_id} has expired, verify against another challenge"
                " or create a new challenge.",
            )

    async def _upgrade_session(
        self, conn: Connection, caller: Caller, session: Row, factor: Row, challenge_id: str
    ) -> dict[str, Any]:
        """GoTrue's updateMFASessionAndClaims plus what follows it: the factor is verified, the
        session is aal2 with "totp" in its amr, its refresh token is rotated, the user's other
        sessions below aal2 end and their other unverified TOTP factors are deleted."""
        user_id = str(caller.user["id"])
        session_id = str(session["id"])
        await execute(
            conn, "update auth.mfa_challenges set verified_at = now() where id = %s", [challenge_id]
        )
        await execute(
            conn,
            "update auth.mfa_factors set status = 'verified', updated_at = now()"
            " where id = %s and status = 'unverified'",
            [factor["id"]],
        )
        await execute(
            conn,
            "update auth.sessions set aal = 'aal2', factor_id = %s, updated_at = now()"
            " where id = %s",
            [factor["id"], session_id],
        )
        await execute(
            conn,
            "insert into auth.mfa_amr_claims (session_id, authentication_method)"
            " values (%s, 'totp') on conflict (session_id, authentication_method)"
            " do update set created_at = now(), updated_at = now()",
            [session_id],
        )
        refresh_token = await self._rotate_refresh_token(conn, caller.user, session_id)
        await execute(
            conn,
            "delete from auth.sessions where user_id = %s and id <> %s"
            " and (aal is null or aal < 'aal2')",
            [user_id, session_id],
        )
        await execute(
            conn,
            "delete from auth.mfa_factors where user_id = %s and factor_type = 'totp'"
            " and status = 'unverified'",
            [user_id],
        )
        user = await fetch_user(conn, user_id)
        assert user is not None
        return await session_json(conn, self.issuer, user, session_id, refresh_token)

    async def _rotate_refresh_token(self, conn: Connection, user: Row, session_id: str) -> str:
        active = await fetch_one(
            conn,
            "select id, token from auth.refresh_tokens where session_id = %s and not revoked"
            " order by id desc limit 1 for update",
            [session_id],
        )
        issued = new_refresh_token()
        if active is not None:
            await execute(
                conn,
                "update auth.refresh_tokens set revoked = true, updated_at = now() where id = %s",
                [active["id"]],
            )
        await execute(
            conn,
            "insert into auth.refresh_tokens"
            " (instance_id, token, user_id, revoked, parent, session_id)"
            " values (%s, %s, %s, false, %s, %s)",
            [
                user["instance_id"],
                issued,
                str(user["id"]),
                active["token"] if active else None,
                session_id,
            ],
        )
        return issued

    async def unenroll(self, request: Request) -> Response:
        async with self.pool.connection() as conn:
            caller, session = await self._signed_in(conn, request)
            factor = await self._own_factor(conn, request, caller)
            if factor["status"] == "verified" and session["aal"] != "aal2":
                raise insufficient_aal(422, "AAL2 required to unenroll verified factor")
            async with conn.transaction():
                await execute(conn, "delete from auth.mfa_factors where id = %s", [factor["id"]])
                # GoTrue's DowngradeSessionsToAAL1: sessions that relied on it are aal1 again.
                await execute(
                    conn,
                    "delete from auth.mfa_amr_claims where authentication_method = 'totp'"
                    " and session_id in (select id from auth.sessions where factor_id = %s)",
                    [factor["id"]],
                )
                await execute(
                    conn,
                    "update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now()"
                    " where factor_id = %s",
                    [factor["id"]],
                )
        return JSONResponse({"id": str(factor["id"])})


def bad_challenge_id() -> AuthApiError:
    return AuthApiError(
        422, "mfa_factor_not_found", "MFA factor with the provided challenge ID not found"
    )
