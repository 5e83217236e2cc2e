"""The user-facing endpoints of `/auth/v1`: tokens, the current user, logout, phone codes."""

from __future__ import annotations

import logging
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from devstack.stack.auth import hooks, otp
from devstack.stack.auth.db import Connection, Row, execute, fetch_one
from devstack.stack.auth.errors import (
    AuthApiError,
    email_exists,
    invalid_credentials,
    otp_expired,
    phone_exists,
    user_banned,
    user_banned_forbidden,
    validation_failed,
)
from devstack.stack.auth.inputs import Caller, authenticate, client_of, json_body
from devstack.stack.auth.passwords import check_new_password, hash_password, password_matches
from devstack.stack.auth.tokens import Client, Issuer, refresh_session, start_session
from devstack.stack.auth.users import (
    create_user,
    email_taken,
    fetch_user,
    find_user_by_email,
    find_user_by_phone,
    is_banned,
    merge_metadata,
    phone_taken,
    sync_identities,
    user_json,
)
from devstack.stack.auth.validation import normalise_email, normalise_phone

log = logging.getLogger("hm.auth")

CONFIRMATION = "confirmation_token"
PHONE_CHANGE = "phone_change_token"


def text_field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise validation_failed(f"{name} must be a string")
    return value


def object_field(body: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = body.get(name)
    if value is not None and not isinstance(value, dict):
        raise validation_failed(f"{name} must be a JSON object")
    return value


async def send_phone_code(
    conn: Connection, issuer: Issuer, user: Row, phone: str, token_type: str, client: Client
) -> int:
    """Rate-check, store and hand over a new code (one transaction: a failing hook stores
    nothing). Returns the send's id, answered to the client as `message_id`."""
    settings = issuer.settings
    await otp.check_send_limits(conn, settings, phone, client.ip)
    code = otp.new_code(settings.otp_length)
    await otp.store_code(conn, str(user["id"]), token_type, phone, code)
    # GoTrue keeps the hash on the user row too, next to when it was sent.
    if token_type == CONFIRMATION:
        await execute(
            conn,
            "update auth.users set confirmation_token = %s, confirmation_sent_at = now()"
            " where id = %s",
            [otp.code_hash(phone, code), user["id"]],
        )
    else:
        await execute(
            conn,
            "update auth.users set phone_change_token = %s, phone_change_sent_at = now()"
            " where id = %s",
            [otp.code_hash(phone, code), user["id"]],
        )
    send_id = await otp.record_send(conn, phone, client.ip)
    fresh = await fetch_user(conn, str(user["id"]))
    assert fresh is not None
    await hooks.send_sms(
        conn, settings.sms_hook, await user_json(conn, fresh), phone, code, client.ip
    )
    return send_id


class AuthRoutes:
    def __init__(self, pool: AsyncConnectionPool, issuer: Issuer) -> None:
        self.pool = pool
        self.issuer = issuer
        self.settings = issuer.settings

    async def token(self, request: Request) -> Response:
        grant_type = request.query_params.get("grant_type", "")
        body = await json_body(request)
        client = client_of(request)
        if grant_type == "password":
            return JSONResponse(await self._password_grant(body, client))
        if grant_type == "refresh_token":
            presented = text_field(body, "refresh_token")
            if not presented:
                raise validation_failed("refresh_token required")
            async with self.pool.connection() as conn:
                return JSONResponse(await refresh_session(conn, self.issuer, presented, client))
        raise AuthApiError(400, "invalid_credentials", "unsupported_grant_type")

    async def _password_grant(self, body: dict[str, Any], client: Client) -> dict[str, Any]:
        email, phone = text_field(body, "email"), text_field(body, "phone")
        password = text_field(body, "password")
        # No transaction around the lookup: bcrypt takes ~70 ms and should hold no locks.
        async with self.pool.connection() as conn:
            if email:
                user = await find_user_by_email(conn, email.lower())
            elif phone:
                user = await find_user_by_phone(conn, phone.removeprefix("+").replace(" ", ""))
            else:
                raise validation_failed("missing email or phone")
            if user is None or not user["encrypted_password"]:
                raise invalid_credentials()
            # As GoTrue: a banned user is told so before the password is checked.
            if is_banned(user):
                raise user_banned()
            if not await password_matches(password, user["encrypted_password"]):
                raise invalid_credentials()
            if email and user["email_confirmed_at"] is None:
                raise AuthApiError(400, "email_not_confirmed", "Email not confirmed")
            if phone and user["phone_confirmed_at"] is None:
                raise AuthApiError(400, "phone_not_confirmed", "Phone not confirmed")
            provider = "email" if email else "phone"
            async with conn.transaction():
                return await start_session(conn, self.issuer, user, "password", provider, client)

    async def get_user(self, request: Request) -> Response:
        async with self.pool.connection() as conn:
            caller = await authenticate(conn, request, self.issuer.secret)
            return JSONResponse(await user_json(conn, caller.user))

    async def update_user(self, request: Request) -> Response:
        body = await json_body(request)
        client = client_of(request)
        async with self.pool.connection() as conn:
            caller = await authenticate(conn, request, self.issuer.secret)
            async with conn.transaction():
                user = await fetch_user(conn, str(caller.user["id"]), lock=True)
                if user is None:
                    raise AuthApiError(403, "user_not_found", "User not found")
                await self._apply_update(conn, caller, user, body, client)
                updated = await fetch_user(conn, str(user["id"]))
                assert updated is not None
                return JSONResponse(await user_json(conn, updated))

    async def _apply_update(
        self, conn: Connection, caller: Caller, user: Row, body: dict[str, Any], client: Client
    ) -> None:
        user_id = str(user["id"])
        data = object_field(body, "data")
        if "password" in body and body["password"] is not None:
            password = check_new_password(body["password"], self.settings.password_min_length)
            if await password_matches(password, user["encrypted_password"]):
                raise AuthApiError(
                    422, "same_password", "New password should be different from the old password."
                )
            await execute(
                conn,
                "update auth.users set encrypted_password = %s, updated_at = now() where id = %s",
                [await hash_password(password), user_id],
            )
            # As GoTrue: a new password ends every other session of the user.
            await execute(
                conn,
                "delete from auth.sessions where user_id = %s and id is distinct from %s::uuid",
                [user_id, caller.session_id],
            )
        if data is not None:
            await execute(
                conn,
                "update auth.users set raw_user_meta_data = %s, updated_at = now() where id = %s",
                [Jsonb(merge_metadata(user["raw_user_meta_data"], data)), user_id],
            )
        email = text_field(body, "email")
        if email and normalise_email(email) != (user["email"] or ""):
            await self._change_email(conn, user_id, normalise_email(email))
        phone = text_field(body, "phone")
        if phone and normalise_phone(phone) != (user["phone"] or ""):
            await self._change_phone(conn, user, normalise_phone(phone), client)

    async def _change_email(self, conn: Connection, user_id: str, email: str) -> None:
        if await email_taken(conn, email, user_id):
            raise email_exists()
        if self.settings.email_autoconfirm:
            await execute(
                conn,
                "update auth.users set email = %s, email_confirmed_at = now(), email_change = '',"
                " updated_at = now() where id = %s",
                [email, user_id],
            )
            await sync_identities(conn, user_id)
            return
        await execute(
            conn,
            "update auth.users set email_change = %s, email_change_sent_at = now() where id = %s",
            [email, user_id],
        )
        log.warning(
            "Email change for %s to %s awaits confirmation; the local stack has no mailer",
            user_id,
            email,
        )

    async def _change_phone(self, conn: Connection, user: Row, phone: str, client: Client) -> None:
        user_id = str(user["id"])
        if await phone_taken(conn, phone, user_id):
            raise phone_exists()
        if self.settings.phone_autoconfirm:
            await execute(
                conn,
                "update auth.users set phone = %s, phone_confirmed_at = now(), updated_at = now()"
                " where id = %s",
                [phone, user_id],
            )
            await sync_identities(conn, user_id)
            return
        await execute(
            conn, "update auth.users set phone_change = %s where id = %s", [phone, user_id]
        )
        await send_phone_code(conn, self.issuer, user, phone, PHONE_CHANGE, client)

    async def logout(self, request: Request) -> Response:
        scope = request.query_params.get("scope", "global") or "global"
        if scope not in ("global", "local", "others"):
            raise validation_failed(f'Unsupported logout scope "{scope}"')
        async with self.pool.connection() as conn:
            caller = await authenticate(conn, request, self.issuer.secret)
            user_id = str(caller.user["id"])
            if caller.session_id is None or scope == "global":
                await execute(conn, "delete from auth.sessions where user_id = %s", [user_id])
            elif scope == "local":
                await execute(conn, "delete from auth.sessions where id = %s", [caller.session_id])
            else:
                await execute(
                    conn,
                    "delete from auth.sessions where user_id = %s and id <> %s",
                    [user_id, caller.session_id],
                )
        return Response(status_code=204)

    async def send_otp(self, request: Request) -> Response:
        body = await json_body(request)
        client = client_of(request)
        if text_field(body, "email"):
            raise AuthApiError(
                400, "email_provider_disabled", "Email codes are not available on the local stack"
            )
        raw_phone = text_field(body, "phone")
        if not raw_phone:
            raise validation_failed("An email address or phone number is required")
        phone = normalise_phone(raw_phone)
        if (body.get("channel") or "sms") != "sms":
            raise validation_failed("Invalid channel, supported values are 'sms' or 'whatsapp'")
        data = object_field(body, "data") or {}
        create = body.get("create_user", True) is not False
        async with self.pool.connection() as conn, conn.transaction():
            await otp.lock_phone(conn, phone)
            user = await find_user_by_phone(conn, phone, lock=True)
            if user is None:
                if not create:
                    raise AuthApiError(422, "otp_disabled", "Signups not allowed for otp")
                if not self.settings.phone_signup:
                    raise AuthApiError(
                        422, "signup_disabled", "Signups not allowed for this instance"
                    )
                # As GoTrue's phone signup: the user exists (unconfirmed) from the first code on;
                # verifying the code confirms the phone.
                user = await create_user(
                    conn,
                    email=None,
                    phone=phone,
                    encrypted_password=None,
                    email_confirmed=False,
                    phone_confirmed=False,
                    user_metadata=data,
                    app_metadata={},
                )
            elif data and user["phone_confirmed_at"] is None:
                # As GoTrue, which signs an unconfirmed phone up again: the newest data wins.
                await execute(
                    conn,
                    "update auth.users set raw_user_meta_data = %s where id = %s",
                    [Jsonb(merge_metadata(user["raw_user_meta_data"], data)), user["id"]],
                )
            send_id = await send_phone_code(conn, self.issuer, user, phone, CONFIRMATION, client)
        return JSONResponse({"message_id": str(send_id)})

    async def verify(self, request: Request) -> Response:
        body = await json_body(request)
        kind = text_field(body, "type")
        if kind not in ("sms", "phone_change"):
            raise validation_failed(f"Unsupported verification type {kind!r} on the local stack")
        phone = normalise_phone(text_field(body, "phone"))
        code = text_field(body, "token")
        if not code:
            raise validation_failed("Verify requires a token")
        client = client_of(request)
        async with self.pool.connection() as conn:
            async with conn.transaction():
                session = await self._verify_code(conn, kind, phone, code, client)
            if session is None:  # the counted wrong guess is committed above
                raise otp_expired()
            return JSONResponse(session)

    async def _verify_code(
        self, conn: Connection, kind: str, phone: str, code: str, client: Client
    ) -> dict[str, Any] | None:
        if kind == "sms":
            user = await find_user_by_phone(conn, phone, lock=True)
        else:
            user = await fetch_one(
                conn,
                "select * from auth.users where phone_change = %s and deleted_at is null"
                " for update",
                [phone],
            )
        if user is None:
            return None
        # As GoTrue: a banned user is refused before the code is checked.
        if is_banned(user):
            raise user_banned_forbidden()
        token_type = CONFIRMATION if kind == "sms" else PHONE_CHANGE
        user_id = str(user["id"])
        if not await otp.consume_code(conn, self.settings, user_id, token_type, phone, code):
            return None
        if kind == "sms":
            await execute(
                conn,
                "update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()),"
                " confirmation_token = '', updated_at = now() where id = %s",
                [user_id],
            )
        else:
            await execute(
                conn,
                "update auth.users set phone = phone_change, phone_change = '',"
                " phone_change_token = '', phone_confirmed_at = now(), updated_at = now()"
                " where id = %s",
                [user_id],
            )
        confirmed = await sync_identities(conn, user_id)
        return await start_session(conn, self.issuer, confirmed, "otp", "phone", client)

    async def health(self, request: Request) -> Response:
        del request
        return JSONResponse(
            {
                "version": "hm-local",
                "name": "GoTrue",
                "description": "GoTrue is a user registration and authentication API",
            }
        )

    async def public_settings(self, request: Request) -> Response:
        del request
        external = dict.fromkeys(
            ("anonymous_users", "apple", "azure", "github", "google", "saml"), False
        )
        external.update(email=True, phone=True)
        return JSONResponse(
            {
                "external": external,
                "disable_signup": not (self.settings.email_signup or self.settings.phone_signup),
                "mailer_autoconfirm": self.settings.email_autoconfirm,
                "phone_autoconfirm": self.settings.phone_autoconfirm,
                "sms_provider": "hook" if self.settings.sms_hook else "",
                "saml_enabled": False,
                "anonymous_users_enabled": False,
            }
        )
