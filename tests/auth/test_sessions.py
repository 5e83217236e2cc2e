"""Password sign-in, the current user, refresh-token rotation and logout, with supabase-py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
from auth_helpers import present
from supabase import Client
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError

from devstack.stack.manager import LocalStack

MakeClient = Callable[..., Client]
MakeUser = Callable[..., dict[str, Any]]
DbExec = Callable[..., list[tuple[Any, ...]]]


def sign_in(client: Client, user: dict[str, Any]) -> Any:
    return client.auth.sign_in_with_password({"email": user["email"], "password": user["password"]})


def test_password_sign_in_gives_a_supabase_session(
    auth_client: MakeClient, make_user: MakeUser, stack: LocalStack
) -> None:
    user = make_user(user_metadata={"name": "Ada"})
    session = sign_in(auth_client(), user).session

    assert session.token_type == "bearer"
    assert session.expires_in == 3600
    assert session.user.id == user["id"]
    assert session.user.last_sign_in_at is not None
    assert session.user.identities[0].provider == "email"
    claims = jwt.decode(
        session.access_token,
        stack.config.jwt_secret,
        algorithms=["HS256"],
        audience="authenticated",
    )
    assert claims["sub"] == user["id"]
    assert claims["role"] == "authenticated"
    assert claims["email"] == user["email"]
    assert claims["phone"] == ""
    assert claims["app_metadata"] == {"provider": "email", "providers": ["email"]}
    assert claims["user_metadata"] == {"name": "Ada"}
    assert claims["aal"] == "aal1"
    assert [entry["method"] for entry in claims["amr"]] == ["password"]
    assert claims["is_anonymous"] is False
    assert claims["iss"] == f"{stack.config.api_url}/auth/v1"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["exp"] == session.expires_at
    uuid.UUID(claims["session_id"])


def test_email_lookup_ignores_case(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user()
    shouted = {**user, "email": user["email"].upper()}
    assert sign_in(auth_client(), shouted).user.id == user["id"]


@pytest.mark.parametrize("wrong", ["password", "email"])
def test_wrong_credentials_are_invalid_credentials(
    auth_client: MakeClient, make_user: MakeUser, wrong: str
) -> None:
    user = make_user()
    attempt = {**user, wrong: "nobody@example.com" if wrong == "email" else "wrong password"}
    with pytest.raises(AuthApiError) as refused:
        sign_in(auth_client(), attempt)
    assert (refused.value.status, refused.value.code) == (400, "invalid_credentials")
    assert refused.value.message == "Invalid login credentials"


def test_unconfirmed_email_cannot_sign_in(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user(email_confirm=False)
    with pytest.raises(AuthApiError) as refused:
        sign_in(auth_client(), user)
    assert (refused.value.status, refused.value.code) == (400, "email_not_confirmed")


def test_get_user_and_update_password_and_metadata(
    auth_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(user_metadata={"name": "Ada", "team": "door"})
    client = auth_client()
    session = sign_in(client, user).session
    current = client.auth.get_user(session.access_token)
    assert current is not None
    assert current.user.email == user["email"]

    updated = client.auth.update_user(
        {"password": "a new secret", "data": {"team": None, "pronouns": "she/her"}}
    ).user
    assert updated.user_metadata == {"name": "Ada", "pronouns": "she/her"}

    with pytest.raises(AuthApiError):
        sign_in(auth_client(), user)
    assert sign_in(auth_client(), {**user, "password": "a new secret"}).user.id == user["id"]


def test_same_or_weak_password_is_refused(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user()
    client = auth_client()
    sign_in(client, user)
    with pytest.raises(AuthApiError) as same:
        client.auth.update_user({"password": user["password"]})
    assert (same.value.status, same.value.code) == (422, "same_password")
    with pytest.raises(AuthWeakPasswordError) as weak:
        client.auth.update_user({"password": "abc"})
    assert (weak.value.status, weak.value.code) == (422, "weak_password")
    assert weak.value.reasons == ["length"]


def test_new_password_ends_the_other_sessions(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user()
    laptop, phone = auth_client(), auth_client()
    phone_session = sign_in(phone, user).session
    sign_in(laptop, user)
    laptop.auth.update_user({"password": "rotated secret"})
    with pytest.raises(AuthApiError) as refused:
        phone.auth.refresh_session(phone_session.refresh_token)
    assert str(refused.value.code) == "refresh_token_not_found"
    assert present(laptop.auth.get_user()).user.id == user["id"]


def test_refresh_rotates_and_refuses_the_rotated_out_token_after_the_interval(
    auth_client: MakeClient, make_user: MakeUser, db_exec: DbExec
) -> None:
    user = make_user()
    client = auth_client()
    first = sign_in(client, user).session
    second = present(client.auth.refresh_session(first.refresh_token).session)
    assert second.refresh_token != first.refresh_token

    # Within the reuse interval a rotated-out token still answers (the client may have lost
    # the response): it gets the active child back rather than a new one.
    again = present(auth_client().auth.refresh_session(first.refresh_token).session)
    assert again.refresh_token == second.refresh_token

    third = present(client.auth.refresh_session(second.refresh_token).session)
    db_exec(
        "update auth.refresh_tokens set updated_at = now() - interval '11 seconds'"
        " where token = %s",
        [first.refresh_token],
    )
    with pytest.raises(AuthApiError) as reused:
        auth_client().auth.refresh_session(first.refresh_token)
    assert (reused.value.status, reused.value.code) == (400, "refresh_token_already_used")

    # Reuse outside the interval is taken as theft: the whole session is revoked.
    with pytest.raises(AuthApiError) as revoked:
        auth_client().auth.refresh_session(third.refresh_token)
    assert str(revoked.value.code) == "session_expired"
    assert db_exec(
        "select count(*) from auth.refresh_tokens where session_id = %s and not revoked",
        [jwt.decode(third.access_token, options={"verify_signature": False})["session_id"]],
    ) == [(0,)]


def test_unknown_refresh_token(auth_client: MakeClient) -> None:
    with pytest.raises(AuthApiError) as refused:
        auth_client().auth.refresh_session("not-a-token")
    assert (refused.value.status, refused.value.code) == (400, "refresh_token_not_found")


def test_logout_scopes(auth_client: MakeClient, make_user: MakeUser, db_exec: DbExec) -> None:
    user = make_user()
    clients = [auth_client() for _ in range(4)]
    sessions = [sign_in(client, user).session for client in clients]

    def live_sessions() -> int:
        return int(
            db_exec("select count(*) from auth.sessions where user_id = %s", [user["id"]])[0][0]
        )

    assert live_sessions() == 4
    clients[0].auth.sign_out({"scope": "local"})
    assert live_sessions() == 3
    with pytest.raises(AuthApiError) as ended:
        auth_client().auth.refresh_session(sessions[0].refresh_token)
    assert str(ended.value.code) == "refresh_token_not_found"

    clients[1].auth.sign_out({"scope": "others"})
    assert live_sessions() == 1
    assert present(clients[1].auth.get_user()).user.id == user["id"]

    clients[1].auth.sign_out()  # global by default
    assert live_sessions() == 0


def test_revoked_session_refresh_fails_and_its_access_token_is_refused(
    auth_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user()
    client = auth_client()
    session = sign_in(client, user).session
    admin = auth_client("service_role")
    admin.auth.admin.sign_out(session.access_token, "global")
    with pytest.raises(AuthApiError) as refused:
        auth_client().auth.refresh_session(session.refresh_token)
    assert (refused.value.status, refused.value.code) == (400, "refresh_token_not_found")
    with pytest.raises(AuthApiError) as gone:
        auth_client().auth.get_user(session.access_token)
    assert (gone.value.status, gone.value.code) == (403, "session_not_found")


def test_bad_jwt_is_refused(auth_client: MakeClient, stack: LocalStack) -> None:
    forged = jwt.encode({"sub": str(uuid.uuid4()), "role": "authenticated"}, "x" * 40)
    with pytest.raises(AuthApiError) as refused:
        auth_client().auth.get_user(forged)
    assert (refused.value.status, refused.value.code) == (403, "bad_jwt")


def test_banned_user_cannot_sign_in(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user(ban_duration="1h")
    with pytest.raises(AuthApiError) as refused:
        sign_in(auth_client(), user)
    assert (refused.value.status, refused.value.code) == (400, "user_banned")
    # As GoTrue (api/token.go): the ban is checked before the password.
    with pytest.raises(AuthApiError) as wrong_password:
        sign_in(auth_client(), {**user, "password": "not the password"})
    assert (wrong_password.value.status, wrong_password.value.code) == (400, "user_banned")


def test_a_ban_ends_refresh_and_the_old_access_token_at_auth(
    auth_client: MakeClient, make_user: MakeUser
) -> None:
    """As GoTrue: refresh answers 400 "Invalid Refresh Token: User Banned" (tokens/service.go),
    and a token issued before the ban is refused 403 (api/auth.go requireAuthentication)."""
    user = make_user()
    session = present(sign_in(auth_client(), user).session)
    auth_client("service_role").auth.admin.update_user_by_id(user["id"], {"ban_duration": "1h"})

    with pytest.raises(AuthApiError) as refreshing:
        auth_client().auth.refresh_session(session.refresh_token)
    assert (refreshing.value.status, refreshing.value.code) == (400, "user_banned")
    assert refreshing.value.message == "Invalid Refresh Token: User Banned"
    with pytest.raises(AuthApiError) as reading:
        auth_client().auth.get_user(session.access_token)
    assert (reading.value.status, reading.value.code) == (403, "user_banned")

    auth_client("service_role").auth.admin.update_user_by_id(user["id"], {"ban_duration": "none"})
    assert present(auth_client().auth.get_user(session.access_token)).user.id == user["id"]


def test_concurrent_refreshes_of_one_token_share_one_child(
    auth_client: MakeClient, make_user: MakeUser
) -> None:
    """Two tabs refreshing at once: both get the same new token, and the session survives."""
    user = make_user()
    first = present(sign_in(auth_client(), user).session)
    clients = [auth_client() for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(lambda client: client.auth.refresh_session(first.refresh_token), clients)
        )
    children = {present(answer.session).refresh_token for answer in answers}
    assert len(children) == 1
    assert present(auth_client().auth.refresh_session(children.pop()).session).user.id == user["id"]


def test_phone_and_password_sign_in(
    auth_client: MakeClient, unique_phone: Callable[[], str]
) -> None:
    admin = auth_client("service_role").auth.admin
    confirmed, unconfirmed = unique_phone(), unique_phone()
    user = admin.create_user(
        {"phone": confirmed, "password": "phone secret", "phone_confirm": True}
    )
    admin.create_user({"phone": unconfirmed, "password": "phone secret"})

    session = auth_client().auth.sign_in_with_password(
        {"phone": confirmed, "password": "phone secret"}
    )
    assert present(session.user).id == present(user.user).id
    assert present(session.user).phone == confirmed.removeprefix("+")
    with pytest.raises(AuthApiError) as refused:
        auth_client().auth.sign_in_with_password({"phone": unconfirmed, "password": "phone secret"})
    assert (refused.value.status, str(refused.value.code)) == (400, "phone_not_confirmed")


def test_user_seeded_in_sql_with_pgcrypto_can_sign_in(
    auth_client: MakeClient, db_exec: DbExec
) -> None:
    """Seed files create users the Supabase way: a row in auth.users, bcrypt from pgcrypto."""
    email = f"seeded-{uuid.uuid4().hex[:10]}@example.com"
    [(user_id,)] = db_exec(
        "insert into auth.users (instance_id, id, aud, role, email, encrypted_password,"
        " email_confirmed_at, raw_app_meta_data, raw_user_meta_data)"
        " values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',"
        " 'authenticated', %s, extensions.crypt('seeded secret', extensions.gen_salt('bf')),"
        ' now(), \'{"provider": "email", "providers": ["email"]}\', \'{}\') returning id',
        [email],
    )
    session = auth_client().auth.sign_in_with_password(
        {"email": email, "password": "seeded secret"}
    )
    assert present(session.user).id == str(user_id)
