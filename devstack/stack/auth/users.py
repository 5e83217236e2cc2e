"""Users in auth.users and auth.identities, and the user JSON GoTrue answers with."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb

from devstack.stack.auth.db import Connection, Row, execute, fetch_all, fetch_one

AUDIENCE = "authenticated"
DEFAULT_ROLE = "authenticated"
INSTANCE_ID = "00000000-0000-0000-0000-000000000000"

# GoTrue's user JSON: timestamps that are unset are left out (Go `omitempty`), while email and
# phone are always present (an empty string when unset).
_OPTIONAL_TIMES = (
    ("email_confirmed_at", "email_confirmed_at"),
    ("phone_confirmed_at", "phone_confirmed_at"),
    ("confirmation_sent_at", "confirmation_sent_at"),
    ("confirmed_at", "confirmed_at"),
    ("recovery_sent_at", "recovery_sent_at"),
    ("email_change_sent_at", "email_change_sent_at"),
    ("phone_change_sent_at", "phone_change_sent_at"),
    ("last_sign_in_at", "last_sign_in_at"),
)


def iso(moment: datetime | None) -> str | None:
    """GoTrue's timestamp format: RFC 3339 in UTC with a `Z`."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # `timestamp` columns hold UTC (the server's TimeZone is UTC)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def is_banned(user: Row) -> bool:
    banned_until: datetime | None = user["banned_until"]
    return banned_until is not None and banned_until > datetime.now(UTC)


async def fetch_user(conn: Connection, user_id: str, *, lock: bool = False) -> Row | None:
    if lock:
        return await fetch_one(
            conn,
            "select * from auth.users where id = %s and deleted_at is null for update",
            [user_id],
        )
    return await fetch_one(
        conn, "select * from auth.users where id = %s and deleted_at is null", [user_id]
    )


async def find_user_by_email(conn: Connection, email: str) -> Row | None:
    return await fetch_one(
        conn,
        "select * from auth.users where lower(email) = %s and not is_sso_user"
        " and deleted_at is null",
        [email],
    )


async def find_user_by_phone(conn: Connection, phone: str, *, lock: bool = False) -> Row | None:
    if lock:
        return await fetch_one(
            conn,
            "select * from auth.users where phone = %s and deleted_at is null for update",
            [phone],
        )
    return await fetch_one(
        conn, "select * from auth.users where phone = %s and deleted_at is null", [phone]
    )


async def email_taken(conn: Connection, email: str, except_user: str | None = None) -> bool:
    row = await fetch_one(
        conn,
        "select 1 from auth.users where lower(email) = %s and not is_sso_user"
        " and id is distinct from %s::uuid",
        [email, except_user],
    )
    return row is not None


async def phone_taken(conn: Connection, phone: str, except_user: str | None = None) -> bool:
    row = await fetch_one(
        conn,
        "select 1 from auth.users where phone = %s and id is distinct from %s::uuid",
        [phone, except_user],
    )
    return row is not None


async def create_user(
    conn: Connection,
    *,
    email: str | None,
    phone: str | None,
    encrypted_password: str | None,
    email_confirmed: bool,
    phone_confirmed: bool,
    user_metadata: dict[str, Any],
    app_metadata: dict[str, Any],
    role: str = DEFAULT_ROLE,
    user_id: str | None = None,
    banned_until: datetime | None = None,
) -> Row:
    """Insert a user and an identity per provider (email, phone), as GoTrue's signup does."""
    providers = [name for name, value in (("email", email), ("phone", phone)) if value]
    app = {"provider": providers[0], "providers": providers, **app_metadata}
    user = await fetch_one(
        conn,
        """
        insert into auth.users (
          instance_id, id, aud, role, email, phone, encrypted_password,
          email_confirmed_at, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
          banned_until, is_sso_user, is_anonymous
        ) values (
          %(instance)s, %(id)s, %(aud)s, %(role)s, %(email)s, %(phone)s, %(password)s,
          case when %(email_confirmed)s then now() end,
          case when %(phone_confirmed)s then now() end,
          %(app)s, %(meta)s, %(banned_until)s, false, false
        ) returning *
        """,
        {
            "instance": INSTANCE_ID,
            "id": user_id or str(uuid.uuid4()),
            "aud": AUDIENCE,
            "role": role,
            "email": email,
            "phone": phone,
            "password": encrypted_password or "",
            "email_confirmed": email_confirmed,
            "phone_confirmed": phone_confirmed,
            "app": Jsonb(app),
            "meta": Jsonb(user_metadata),
            "banned_until": banned_until,
        },
    )
    assert user is not None  # insert … returning always yields the row
    for provider in providers:
        await upsert_identity(conn, user, provider)
    return user


async def upsert_identity(conn: Connection, user: Row, provider: str) -> None:
    """The user's email or phone identity, with identity_data matching the user row."""
    user_id = str(user["id"])
    data: dict[str, Any] = {
        "sub": user_id,
        "email_verified": provider == "email" and user["email_confirmed_at"] is not None,
        "phone_verified": provider == "phone" and user["phone_confirmed_at"] is not None,
    }
    data[provider] = user[provider]
    await execute(
        conn,
        """
        insert into auth.identities (provider_id, user_id, identity_data, provider)
        values (%s, %s, %s, %s)
        on conflict (provider_id, provider)
        do update set identity_data = excluded.identity_data, updated_at = now()
        """,
        [user_id, user_id, Jsonb(data), provider],
    )


async def sync_identities(conn: Connection, user_id: str) -> Row:
    """After the email or phone changed: identities and app_metadata.providers follow."""
    user = await fetch_user(conn, user_id)
    assert user is not None  # callers hold the row
    providers = [name for name in ("email", "phone") if user[name]]
    for provider in providers:
        await upsert_identity(conn, user, provider)
    await execute(
        conn,
        "delete from auth.identities where user_id = %s and provider in ('email', 'phone')"
        " and not (provider = any(%s))",
        [user_id, providers],
    )
    app = dict(user["raw_app_meta_data"] or {})
    app["providers"] = sorted(set(app.get("providers", [])) - {"email", "phone"} | set(providers))
    if providers and app.get("provider") not in app["providers"]:
        app["provider"] = providers[0]
    updated = await fetch_one(
        conn,
        "update auth.users set raw_app_meta_data = %s, updated_at = now() where id = %s"
        " returning *",
        [Jsonb(app), user_id],
    )
    assert updated is not None
    return updated


def merge_metadata(current: dict[str, Any] | None, changes: dict[str, Any]) -> dict[str, Any]:
    """GoTrue's metadata update: keys are set, and a key given as null is removed."""
    merged = dict(current or {})
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


async def user_json(conn: Connection, user: Row) -> dict[str, Any]:
    identities = await fetch_all(
        conn, "select * from auth.identities where user_id = %s order by created_at", [user["id"]]
    )
    body: dict[str, Any] = {
        "id": str(user["id"]),
        "aud": user["aud"] or "",
        "role": user["role"] or "",
        "email": user["email"] or "",
        "phone": user["phone"] or "",
    }
    for key, column in _OPTIONAL_TIMES:
        if user[column] is not None:
            body[key] = iso(user[column])
    if user["email_change"]:
        body["new_email"] = user["email_change"]
    if user["phone_change"]:
        body["new_phone"] = user["phone_change"]
    body["app_metadata"] = user["raw_app_meta_data"] or {}
    body["user_metadata"] = user["raw_user_meta_data"] or {}
    body["identities"] = [identity_json(identity) for identity in identities]
    factors = await fetch_all(
        conn, "select * from auth.mfa_factors where user_id = %s order by created_at", [user["id"]]
    )
    if factors:  # GoTrue leaves the key out when there are none (omitempty)
        body["factors"] = [factor_json(factor) for factor in factors]
    if user["banned_until"] is not None:
        body["banned_until"] = iso(user["banned_until"])
    body["created_at"] = iso(user["created_at"])
    body["updated_at"] = iso(user["updated_at"])
    if user["deleted_at"] is not None:
        body["deleted_at"] = iso(user["deleted_at"])
    body["is_anonymous"] = user["is_anonymous"]
    return body


def identity_json(identity: Row) -> dict[str, Any]:
    return {
        "identity_id": str(identity["id"]),
        "id": identity["provider_id"],
        "user_id": str(identity["user_id"]),
        "identity_data": identity["identity_data"],
        "provider": identity["provider"],
        "last_sign_in_at": iso(identity["last_sign_in_at"]),
        "created_at": iso(identity["created_at"]),
        "updated_at": iso(identity["updated_at"]),
        "email": identity["email"] or "",
    }


def factor_json(factor: Row) -> dict[str, Any]:
    """A factor as GoTrue lists it on the user (never its secret)."""
    body: dict[str, Any] = {
        "id": str(factor["id"]),
        "status": factor["status"],
        "factor_type": factor["factor_type"],
        "created_at": iso(factor["created_at"]),
        "updated_at": iso(factor["updated_at"]),
        "last_challenged_at": iso(factor["last_challenged_at"]),
    }
    if factor["friendly_name"]:
        body["friendly_name"] = factor["friendly_name"]
    return body
