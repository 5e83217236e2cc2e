"""The gateway + PostgREST behave like hosted Supabase for the official Python client."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from postgrest.exceptions import APIError
from supabase import AClient, AsyncClientOptions, Client, acreate_client

from devstack.stack.manager import LocalStack
from devstack.testing import wait_for_table_in_rest

FIXTURE_TABLE = """
create table if not exists public.platform_notes (
  id bigint generated always as identity primary key,
  owner_id uuid not null,
  body text not null
);
alter table public.platform_notes enable row level security;
drop policy if exists "Users can read own notes" on public.platform_notes;
create policy "Users can read own notes" on public.platform_notes
  for select to authenticated using ((select auth.uid()) = owner_id);
drop policy if exists "Users can add own notes" on public.platform_notes;
create policy "Users can add own notes" on public.platform_notes
  for insert to authenticated with check ((select auth.uid()) = owner_id);
create or replace function public.platform_echo(message text) returns text
  language sql stable set search_path = '' as $$ select 'echo: ' || message $$;
grant execute on function public.platform_echo(text) to anon, authenticated;
notify pgrst, 'reload schema';
"""


@pytest.fixture(scope="module")
def owners(stack: LocalStack) -> Iterator[tuple[str, str]]:
    alice, bob = str(uuid.uuid4()), str(uuid.uuid4())
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(FIXTURE_TABLE)
        conn.execute(
            "insert into public.platform_notes (owner_id, body)"
            " values (%s, 'alice 1'), (%s, 'alice 2'), (%s, 'bob 1')",
            (alice, alice, bob),
        )
    wait_for_table_in_rest(stack, "platform_notes")
    yield alice, bob
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute("drop table public.platform_notes; drop function public.platform_echo(text);")
        conn.execute("notify pgrst, 'reload schema'")


def test_anon_sees_no_rows(owners: tuple[str, str], make_client: Callable[..., Client]) -> None:
    assert make_client().table("platform_notes").select("*").execute().data == []


def test_user_sees_only_own_rows(
    owners: tuple[str, str], make_client: Callable[..., Client], make_token: Callable[..., str]
) -> None:
    alice, _ = owners
    rows = (
        make_client(access_token=make_token(alice))
        .table("platform_notes")
        .select("body")
        .order("body")
        .execute()
    )
    assert rows.data == [{"body": "alice 1"}, {"body": "alice 2"}]


def test_service_role_sees_all(owners: tuple[str, str], make_client: Callable[..., Client]) -> None:
    rows = (
        make_client("service_role").table("platform_notes").select("body", count="exact").execute()
    )
    assert rows.count == 3


def test_insert_for_another_user_is_refused_with_postgrest_error(
    owners: tuple[str, str], make_client: Callable[..., Client], make_token: Callable[..., str]
) -> None:
    alice, bob = owners
    client = make_client(access_token=make_token(alice))
    with pytest.raises(APIError) as refused:
        client.table("platform_notes").insert({"owner_id": bob, "body": "forged"}).execute()
    assert refused.value.json() == {
        "code": "42501",
        "details": None,
        "hint": None,
        "message": 'new row violates row-level security policy for table "platform_notes"',
    }


def test_insert_status_is_403(
    owners: tuple[str, str], stack: LocalStack, make_token: Callable[..., str]
) -> None:
    alice, bob = owners
    response = httpx.post(
        f"{stack.config.api_url}/rest/v1/platform_notes",
        headers={"apikey": stack.config.anon_key, "Authorization": f"Bearer {make_token(alice)}"},
        json={"owner_id": bob, "body": "forged"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "42501"


def test_rpc(owners: tuple[str, str], make_client: Callable[..., Client]) -> None:
    assert make_client().rpc("platform_echo", {"message": "hi"}).execute().data == "echo: hi"


def test_bad_jwt_is_401_pgrst301(
    owners: tuple[str, str], make_client: Callable[..., Client]
) -> None:
    with pytest.raises(APIError) as refused:
        make_client(access_token="not-a-jwt").table("platform_notes").select("*").execute()
    assert refused.value.code == "PGRST301"


def test_missing_api_key_is_refused_by_gateway(stack: LocalStack) -> None:
    response = httpx.get(f"{stack.config.api_url}/rest/v1/platform_notes")
    assert response.status_code == 401
    assert response.json()["message"] == "No API key found in request"


def test_cors_preflight_is_answered(stack: LocalStack) -> None:
    response = httpx.options(
        f"{stack.config.api_url}/rest/v1/platform_notes",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "apikey, authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in {"*", "http://localhost:5173"}


async def test_async_client(
    owners: tuple[str, str], supabase_env: dict[str, Any], make_token: Callable[..., str]
) -> None:
    alice, _ = owners
    async with httpx.AsyncClient() as http_client:
        client: AClient = await acreate_client(
            supabase_env["SUPABASE_URL"],
            supabase_env["SUPABASE_ANON_KEY"],
            AsyncClientOptions(httpx_client=http_client, auto_refresh_token=False),
        )
        client.postgrest.auth(make_token(alice))
        rows = await client.table("platform_notes").select("body").execute()
    assert len(rows.data) == 2
