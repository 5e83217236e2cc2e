"""`/admin/users`: GoTrue's admin users API, for the service_role (or supabase_admin) only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from devstack.stack.auth.db import Connection, Row, execute, fetch_all, fetch_one
from devstack.stack.auth.errors import (
    AuthApiError,
    email_exists,
    phone_exists,
    user_not_found,
    validation_failed,
)
from devstack.stack.auth.inputs import json_body, require_admin
from devstack.stack.auth.passwords import check_new_password, hash_password
from devstack.stack.auth.routes import object_field, text_field
from devstack.stack.auth.settings import go_duration_seconds
from devstack.stack.auth.tokens import Issuer
from devstack.stack.auth.users import (
    AUDIENCE,
    create_user,
    email_taken,
    fetch_user,
    merge_metadata,
    phone_taken,
    sync_identities,
    user_json,
)
from devstack.stack.auth.validation import normalise_email, normalise_phone

DEFAULT_PER_PAGE = 50
_USERS_MATCHING = """
  from auth.users
  where aud = %(aud)s and deleted_at is null
    and (%(filter)s = ''
         or email like '%%' || %(filter)s || '%%'
         or raw_user_meta_data ->> 'full_name' ilike '%%' || %(filter)s || '%%')
"""


def parse_ban_duration(value: str) -> timedelta | None:
    """None for "none" (lift the ban), otherwise the ban's length."""
    if value == "none":
        return None
    try:
        return timedelta(seconds=go_duration_seconds(value))
    except ValueError as error:
        raise validation_failed(f"invalid format for ban duration: {value!r}") from error


def user_id_param(request: Request) -> str:
    try:
        return str(uuid.UUID(request.path_params["user_id"]))
    except ValueError as error:
        raise AuthApiError(404, "validation_failed", "user_id must be an UUID") from error


def requested_id(body: dict[str, Any]) -> str | None:
    """An id the admin chose for the new user, if any."""
    if not body.get("id"):
        return None
    try:
        return str(uuid.UUID(text_field(body, "id")))
    except ValueError as error:
        raise validation_failed("id must be an UUID") from error


def page_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise validation_failed("Bad Pagination Parameters")
    return int(raw)


class AdminRoutes:
    def __init__(self, pool: AsyncConnectionPool, issuer: Issuer) -> None:
        self.pool = pool
        self.issuer = issuer

    async def create(self, request: Request) -> Response:
        require_admin(request, self.issuer.secret)
        body = await json_body(request)
        email = normalise_email(text_field(body, "email")) if text_field(body, "email") else None
        phone = normalise_phone(text_field(body, "phone")) if text_field(body, "phone") else None
        if email is None and phone is None:
            raise validation_failed("Cannot create a user without either an email or phone")
        password = body.get("password")
        encrypted = None
        if password is not None:
            minimum = self.issuer.settings.password_min_length
            encrypted = await hash_password(check_new_password(password, minimum))
        ban = (
            parse_ban_duration(text_field(body, "ban_duration"))
            if body.get("ban_duration")
            else None
        )
        user_metadata = object_field(body, "user_metadata") or object_field(body, "data") or {}
        async with self.pool.connection() as conn, conn.transaction():
            if email and await email_taken(conn, email):
                raise email_exists()
            if phone and await phone_taken(conn, phone):
                raise phone_exists()
            user = await create_user(
                conn,
                email=email,
                phone=phone,
                encrypted_password=encrypted,
                email_confirmed=body.get("email_confirm") is True,
                phone_confirmed=body.get("phone_confirm") is True,
                user_metadata=user_metadata,
                app_metadata=object_field(body, "app_metadata") or {},
                role=text_field(body, "role") or "authenticated",
                user_id=requested_id(body),
                banned_until=datetime.now(UTC) + ban if ban else None,
            )
            return JSONResponse(await user_json(conn, user))

    async def list(self, request: Request) -> Response:
        require_admin(request, self.issuer.secret)
        page = page_param(request, "page", 1)
        per_page = page_param(request, "per_page", DEFAULT_PER_PAGE)
        # GoTrue's `filter`: a substring of the email or of user_metadata.full_name.
        matching = {"aud": AUDIENCE, "filter": request.query_params.get("filter", "")}
        async with self.pool.connection() as conn:
            total_row = await fetch_one(
                conn, f"select count(*) as total {_USERS_MATCHING}", matching
            )
            users = await fetch_all(
                conn,
                f"select * {_USERS_MATCHING}"
                " order by created_at desc, id limit %(limit)s offset %(offset)s",
                {**matching, "limit": per_page, "offset": (page - 1) * per_page},
            )
            body = {"users": [await user_json(conn, user) for user in users], "aud": AUDIENCE}
        total = int(total_row["total"]) if total_row else 0
        return JSONResponse(body, headers=self._pagination_headers(page, per_page, total))

    def _pagination_headers(self, page: int, per_page: int, total: int) -> dict[str, str]:
        """GoTrue's: `Link` with rel="next" (when there is one) and rel="last"; X-Total-Count."""
        base = f"{self.issuer.url}/admin/users"
        last = max(1, -(-total // per_page))
        links = []
        if page + 1 <= last:
            links.append(f'<{base}?page={page + 1}&per_page={per_page}>; rel="next"')
        links.append(f'<{base}?page={last}&per_page={per_page}>; rel="last"')
        return {"link": ", ".join(links), "x-total-count": str(total)}

    async def get(self, request: Request) -> Response:
        require_admin(request, self.issuer.secret)
        user_id = user_id_param(request)
        async with self.pool.connection() as conn:
            user = await fetch_user(conn, user_id)
            if user is None:
                raise user_not_found()
            return JSONResponse(await user_json(conn, user))

    async def update(self, request: Request) -> Response:
        require_admin(request, self.issuer.secret)
        user_id = user_id_param(request)
        body = await json_body(request)
        async with self.pool.connection() as conn, conn.transaction():
            user = await fetch_user(conn, user_id, lock=True)
            if user is None:
                raise user_not_found()
            await self._apply_update(conn, user, body)
            updated = await sync_identities(conn, user_id)
            return JSONResponse(await user_json(conn, updated))

    async def _apply_update(self, conn: Connection, user: Row, body: dict[str, Any]) -> None:
        user_id = str(user["id"])
        if text_field(body, "email"):
            email = normalise_email(text_field(body, "email"))
            if await email_taken(conn, email, user_id):
                raise email_exists()
            await execute(conn, "update auth.users set email = %s where id = %s", [email, user_id])
        if text_field(body, "phone"):
            phone = normalise_phone(text_field(body, "phone"))
            if await phone_taken(conn, phone, user_id):
                raise phone_exists()
            await execute(conn, "update auth.users set phone = %s where id = %s", [phone, user_id])
        if body.get("email_confirm") is True:
            await execute(
                conn,
                "update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now())"
                " where id = %s",
                [user_id],
            )
        if body.get("phone_confirm") is True:
            await execute(
                conn,
                "update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now())"
                " where id = %s",
                [user_id],
            )
        if body.get("password") is not None:
            minimum = self.issuer.settings.password_min_length
            encrypted = await hash_password(check_new_password(body["password"], minimum))
            await execute(
                conn,
                "update auth.users set encrypted_password = %s where id = %s",
                [encrypted, user_id],
            )
            # As GoTrue: a password set by an admin ends every session of the user.
            await execute(conn, "delete from auth.sessions where user_id = %s", [user_id])
        for field, column_update in (
            ("user_metadata", "update auth.users set raw_user_meta_data = %s where id = %s"),
            ("app_metadata", "update auth.users set raw_app_meta_data = %s where id = %s"),
        ):
            changes = object_field(body, field)
            if changes is not None:
                current = user[
                    "raw_user_meta_data" if field == "user_metadata" else "raw_app_meta_data"
                ]
                await execute(
                    conn, column_update, [Jsonb(merge_metadata(current, changes)), user_id]
                )
        if text_field(body, "role"):
            await execute(
                conn, "update auth.users set role = %s where id = %s", [body["role"], user_id]
            )
        if body.get("ban_duration"):
            ban = parse_ban_duration(text_field(body, "ban_duration"))
            await execute(
                conn,
                "update auth.users set banned_until = %s where id = %s",
                [datetime.now(UTC) + ban if ban else None, user_id],
            )
        await execute(conn, "update auth.users set updated_at = now() where id = %s", [user_id])

    async def delete(self, request: Request) -> Response:
        require_admin(request, self.issuer.secret)
        user_id = user_id_param(request)
        body = await json_body(request)
        async with self.pool.connection() as conn, conn.transaction():
            if body.get("should_soft_delete") is True:
                # As GoTrue's soft delete: the row stays, unusable, without its identifiers.
                deleted = await execute(
                    conn,
                    "update auth.users set deleted_at = now(), email = null, phone = null,"
                    " encrypted_password = '', raw_app_meta_data = '{}', raw_user_meta_data = '{}'"
                    " where id = %s and deleted_at is null",
                    [user_id],
                )
                await execute(conn, "delete from auth.identities where user_id = %s", [user_id])
                await execute(conn, "delete from auth.sessions where user_id = %s", [user_id])
            else:
                deleted = await execute(conn, "delete from auth.users where id = %s", [user_id])
            if deleted == 0:
                raise user_not_found()
        return JSONResponse({})
