"""The admin users API with supabase-py's admin client, and its refusal of everyone else."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from auth_helpers import present
from supabase import Client
from supabase_auth.errors import AuthApiError

from devstack.stack.manager import LocalStack

MakeClient = Callable[..., Client]
MakeUser = Callable[..., dict[str, Any]]
DbExec = Callable[..., list[tuple[Any, ...]]]


def new_email() -> str:
    return f"admin-made-{random.randrange(10**9)}@example.com"


def test_create_get_update_delete(
    auth_client: MakeClient, db_exec: DbExec, unique_phone: Callable[[], str]
) -> None:
    admin = auth_client("service_role").auth.admin
    email, phone = new_email(), unique_phone()
    created = admin.create_user(
        {
            "email": email.upper(),
            "phone": phone,
            "password": "first secret",
            "email_confirm": True,
            "user_metadata": {"name": "Lin"},
            "app_metadata": {"staff_role": "organizer"},
        }
    ).user
    assert created.email == email
    assert created.phone == phone[1:]
    assert created.email_confirmed_at is not None
    assert created.phone_confirmed_at is None
    assert created.app_metadata == {
        "provider": "email",
        "providers": ["email", "phone"],
        "staff_role": "organizer",
    }
    assert {identity.provider for identity in created.identities or []} == {"email", "phone"}
    [(hashed,)] = db_exec("select encrypted_password from auth.users where id = %s", [created.id])
    assert hashed.startswith("$2")
    assert "first secret" not in hashed

    assert admin.get_user_by_id(created.id).user.email == email

    updated = admin.update_user_by_id(
        created.id,
        {"user_metadata": {"team": "door"}, "password": "second secret", "ban_duration": "2h"},
    ).user
    assert updated.user_metadata == {"name": "Lin", "team": "door"}
    assert updated.banned_until is not None
    unbanned = admin.update_user_by_id(created.id, {"ban_duration": "none"}).user
    assert unbanned.banned_until is None
    session = auth_client().auth.sign_in_with_password(
        {"email": email, "password": "second secret"}
    )
    assert present(session.user).id == created.id

    admin.delete_user(created.id)
    with pytest.raises(AuthApiError) as gone:
        admin.get_user_by_id(created.id)
    assert (gone.value.status, gone.value.code) == (404, "user_not_found")
    assert db_exec("select count(*) from auth.identities where user_id = %s", [created.id]) == [
        (0,)
    ]


def test_duplicates_are_refused(auth_client: MakeClient, make_user: MakeUser) -> None:
    user = make_user()
    admin = auth_client("service_role").auth.admin
    with pytest.raises(AuthApiError) as taken:
        admin.create_user({"email": user["email"], "password": "whatever1"})
    assert (taken.value.status, taken.value.code) == (422, "email_exists")
    phone = f"+1555{random.randrange(1_000_000, 9_999_999)}"
    admin.create_user({"phone": phone})
    with pytest.raises(AuthApiError) as phone_taken:
        admin.create_user({"phone": phone.removeprefix("+")})
    assert (phone_taken.value.status, phone_taken.value.code) == (422, "phone_exists")


def test_create_needs_an_email_or_phone(auth_client: MakeClient) -> None:
    with pytest.raises(AuthApiError) as refused:
        auth_client("service_role").auth.admin.create_user({"password": "secret12"})
    assert (refused.value.status, refused.value.code) == (400, "validation_failed")


def test_list_paginates_like_gotrue(
    auth_client: MakeClient, make_user: MakeUser, stack: LocalStack
) -> None:
    for _ in range(3):
        make_user()
    admin = auth_client("service_role").auth.admin
    everyone = admin.list_users(page=1, per_page=1000)
    total = len(everyone)
    assert total >= 3
    first_two = admin.list_users(page=1, per_page=2)
    next_two = admin.list_users(page=2, per_page=2)
    assert len(first_two) == 2
    assert {user.id for user in first_two}.isdisjoint({user.id for user in next_two})
    assert [user.id for user in first_two + next_two] == [user.id for user in everyone[:4]]

    response = httpx.get(
        f"{stack.config.api_url}/auth/v1/admin/users",
        params={"page": 1, "per_page": 2},
        headers={
            "apikey": stack.config.service_role_key,
            "Authorization": f"Bearer {stack.config.service_role_key}",
        },
    )
    last = -(-total // 2)
    assert response.headers["x-total-count"] == str(total)
    assert response.headers["link"] == (
        f'<{stack.config.api_url}/auth/v1/admin/users?page=2&per_page=2>; rel="next", '
        f'<{stack.config.api_url}/auth/v1/admin/users?page={last}&per_page=2>; rel="last"'
    )
    assert response.json()["aud"] == "authenticated"


def test_unknown_user_is_user_not_found(auth_client: MakeClient) -> None:
    admin = auth_client("service_role").auth.admin
    with pytest.raises(AuthApiError) as missing:
        admin.update_user_by_id(str(uuid.uuid4()), {"user_metadata": {"x": 1}})
    assert (missing.value.status, missing.value.code) == (404, "user_not_found")


@pytest.mark.parametrize("caller", ["anon", "user"])
def test_admin_api_refuses_non_service_keys(
    stack: LocalStack, make_user: MakeUser, auth_client: MakeClient, caller: str
) -> None:
    if caller == "anon":
        bearer = stack.config.anon_key
    else:
        user = make_user()
        session = auth_client().auth.sign_in_with_password(
            {"email": user["email"], "password": user["password"]}
        )
        bearer = present(session.session).access_token
    headers = {"apikey": stack.config.anon_key, "Authorization": f"Bearer {bearer}"}
    base = f"{stack.config.api_url}/auth/v1/admin/users"
    some_id = str(uuid.uuid4())
    attempts = [
        httpx.get(base, headers=headers),
        httpx.post(base, headers=headers, json={"email": new_email(), "password": "secret12"}),
        httpx.get(f"{base}/{some_id}", headers=headers),
        httpx.put(f"{base}/{some_id}", headers=headers, json={"ban_duration": "1h"}),
        httpx.delete(f"{base}/{some_id}", headers=headers),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.json() == {
            "code": 403,
            "error_code": "not_admin",
            "msg": "User not allowed",
        }


def test_list_filters_by_email_or_full_name(
    auth_client: MakeClient, make_user: MakeUser, stack: LocalStack
) -> None:
    marker = f"flt{random.randrange(10**9)}"
    by_email = make_user(email=f"{marker}@example.com")
    by_name = make_user(user_metadata={"full_name": f"Ana {marker.upper()} Ruiz"})
    make_user()
    headers = {
        "apikey": stack.config.service_role_key,
        "Authorization": f"Bearer {stack.config.service_role_key}",
    }
    response = httpx.get(
        f"{stack.config.api_url}/auth/v1/admin/users",
        params={"filter": marker},
        headers=headers,
    )
    assert {user["id"] for user in response.json()["users"]} == {by_email["id"], by_name["id"]}
    assert response.headers["x-total-count"] == "2"
