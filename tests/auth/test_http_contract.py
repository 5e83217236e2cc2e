"""What hosted Supabase's gateway and Auth answer on the wire: keys, CORS, error shapes, and the
access token working against PostgREST (auth.uid() inside RLS)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from supabase import Client

from devstack.stack.manager import LocalStack
from devstack.testing import wait_for_table_in_rest

MakeClient = Callable[..., Client]
MakeUser = Callable[..., dict[str, Any]]


@pytest.fixture
def auth_url(stack: LocalStack) -> str:
    return f"{stack.config.api_url}/auth/v1"


def test_api_key_is_required_except_on_open_paths(auth_url: str, stack: LocalStack) -> None:
    missing = httpx.get(f"{auth_url}/settings")
    assert missing.status_code == 401
    assert missing.json()["message"] == "No API key found in request"
    wrong = httpx.get(f"{auth_url}/settings", headers={"apikey": "nope"})
    assert wrong.status_code == 401
    assert (
        httpx.get(f"{auth_url}/health", headers={"apikey": stack.config.anon_key}).json()["name"]
        == "GoTrue"
    )
    # /verify is reached from links, without a key: it answers as Auth, not as the gateway.
    verify = httpx.post(f"{auth_url}/verify", json={"type": "sms", "phone": "abc", "token": "1"})
    assert verify.status_code == 400
    assert verify.json()["error_code"] == "validation_failed"


def test_settings(auth_url: str, stack: LocalStack) -> None:
    settings = httpx.get(f"{auth_url}/settings", headers={"apikey": stack.config.anon_key}).json()
    assert settings["external"]["email"] is True
    assert settings["external"]["phone"] is True
    assert settings["disable_signup"] is False
    assert settings["mailer_autoconfirm"] is True
    assert settings["phone_autoconfirm"] is False


def test_cors_preflight_and_exposed_headers(auth_url: str, stack: LocalStack) -> None:
    preflight = httpx.options(
        f"{auth_url}/token?grant_type=password",
        headers={
            "Origin": "http://kiosk.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "apikey, authorization, content-type, x-client-info,"
            " x-supabase-api-version",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "x-supabase-api-version" in preflight.headers["access-control-allow-headers"].lower()
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = httpx.get(
        f"{auth_url}/settings",
        headers={"apikey": stack.config.anon_key, "Origin": "http://kiosk.example"},
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "x-total-count" in answer.headers["access-control-expose-headers"]


def test_error_shape_follows_the_api_version_header(auth_url: str, stack: LocalStack) -> None:
    body = {"email": "nobody@example.com", "password": "whatever"}
    url = f"{auth_url}/token?grant_type=password"
    legacy = httpx.post(url, json=body, headers={"apikey": stack.config.anon_key})
    assert legacy.status_code == 400
    assert legacy.json() == {
        "code": 400,
        "error_code": "invalid_credentials",
        "msg": "Invalid login credentials",
    }
    assert "x-supabase-api-version" not in legacy.headers
    versioned = httpx.post(
        url,
        json=body,
        headers={"apikey": stack.config.anon_key, "X-Supabase-Api-Version": "2024-01-01"},
    )
    assert versioned.json() == {
        "code": "invalid_credentials",
        "message": "Invalid login credentials",
    }
    assert versioned.headers["x-supabase-api-version"] == "2024-01-01"


def test_bad_requests_get_clear_errors(auth_url: str, stack: LocalStack) -> None:
    headers = {"apikey": stack.config.anon_key, "Content-Type": "application/json"}
    broken = httpx.post(f"{auth_url}/token?grant_type=password", content=b"{", headers=headers)
    assert (broken.status_code, broken.json()["error_code"]) == (400, "bad_json")
    grant = httpx.post(f"{auth_url}/token?grant_type=magic", json={}, headers=headers)
    assert grant.status_code == 400
    no_bearer = httpx.get(f"{auth_url}/user", headers=headers)
    assert (no_bearer.status_code, no_bearer.json()["error_code"]) == (401, "no_authorization")
    unknown = httpx.post(f"{auth_url}/recover", json={}, headers=headers)
    assert unknown.status_code == 404
    assert unknown.json() == {"code": 404, "error_code": "not_found", "msg": "Not Found"}
    wrong_method = httpx.delete(f"{auth_url}/token", headers=headers)
    assert (wrong_method.status_code, wrong_method.json()["error_code"]) == (
        405,
        "method_not_allowed",
    )
    scope = httpx.post(
        f"{auth_url}/logout?scope=everyone",
        headers={**headers, "Authorization": f"Bearer {stack.config.anon_key}"},
    )
    assert (scope.status_code, scope.json()["error_code"]) == (400, "validation_failed")


NOTES = """
create table if not exists public.auth_test_notes (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid(),
  body text not null
);
create index if not exists auth_test_notes_owner_id_idx on public.auth_test_notes (owner_id);
alter table public.auth_test_notes enable row level security;
grant select, insert on public.auth_test_notes to authenticated;
drop policy if exists "Users can read own notes" on public.auth_test_notes;
create policy "Users can read own notes" on public.auth_test_notes
  for select to authenticated using ((select auth.uid()) = owner_id);
drop policy if exists "Users can add own notes" on public.auth_test_notes;
create policy "Users can add own notes" on public.auth_test_notes
  for insert to authenticated with check ((select auth.uid()) = owner_id);
notify pgrst, 'reload schema';
"""


@pytest.fixture
def notes_table(stack: LocalStack) -> Iterator[None]:
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(NOTES.encode())
    wait_for_table_in_rest(stack, "auth_test_notes")
    yield
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute("drop table public.auth_test_notes; notify pgrst, 'reload schema'")


@pytest.mark.usefixtures("notes_table")
def test_signed_in_user_reads_only_own_rows_through_postgrest(
    auth_client: MakeClient, make_user: MakeUser
) -> None:
    alice, bob = make_user(), make_user()
    alice_client, bob_client = auth_client(), auth_client()
    alice_client.auth.sign_in_with_password({"email": alice["email"], "password": "correct horse"})
    bob_client.auth.sign_in_with_password({"email": bob["email"], "password": "correct horse"})

    alice_client.table("auth_test_notes").insert({"body": "alice's"}).execute()
    bob_client.table("auth_test_notes").insert({"body": "bob's"}).execute()

    mine = alice_client.table("auth_test_notes").select("owner_id, body").execute().data
    assert mine == [{"owner_id": alice["id"], "body": "alice's"}]
    assert auth_client().table("auth_test_notes").select("*").execute().data == []
