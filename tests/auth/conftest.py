"""A stack whose Auth service hands SMS codes to a capturing hook, and clients for it.

The hook is a Postgres function in a test-only schema (`auth_tests`), configured through
HM_AUTH_SMS_HOOK_URI exactly as a project would configure `public.send_sms_hook`. It records
every event it receives and refuses numbers starting with 1555000 (to test hook errors).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from supabase import Client, ClientOptions, create_client

from devstack.stack.manager import LocalStack
from devstack.testing import destroy_private_stack, new_private_stack

HOOK_URI = "pg-functions://postgres/auth_tests/capture_sms"
REFUSED_PREFIX = "1555000"

CAPTURING_HOOK = f"""
create schema auth_tests;
create table auth_tests.sms_events (
  id bigint generated always as identity primary key,
  event jsonb not null,
  -- The role Auth switched to before calling (a definer does not change this setting).
  called_as text not null default current_setting('role'),
  received_at timestamptz not null default now()
);
-- A definer so that supabase_auth_admin, which Auth runs hooks as, needs only EXECUTE.
create function auth_tests.capture_sms(event jsonb) returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  if event -> 'user' ->> 'phone' like '{REFUSED_PREFIX}%' then
    return jsonb_build_object('error', jsonb_build_object('http_code', 400,
      'message', 'This number cannot receive SMS'));
  end if;
  insert into auth_tests.sms_events (event) values (event);
  return '{{}}'::jsonb;
end
$$;
revoke execute on function auth_tests.capture_sms(jsonb) from public;
grant usage on schema auth_tests to supabase_auth_admin;
grant execute on function auth_tests.capture_sms(jsonb) to supabase_auth_admin;
"""


@pytest.fixture(scope="session")
def stack() -> Iterator[LocalStack]:
    """This directory's own stack: the session stack plus the Send-SMS hook override."""
    plain = new_private_stack()
    config = dataclasses.replace(plain.config, extra_env={"HM_AUTH_SMS_HOOK_URI": HOOK_URI})
    hooked = LocalStack(config)
    try:
        hooked.up(seed=False)
        with psycopg.connect(config.db_url(), autocommit=True) as conn:
            conn.execute(CAPTURING_HOOK.encode())
        yield hooked
    finally:
        destroy_private_stack(hooked)


@pytest.fixture
def unique_phone() -> Callable[[], str]:
    """A fresh E.164 number (with '+', as users type it) from the 1-555-01xx fiction range."""

    def make() -> str:
        return f"+1555{random.randrange(1_000_000, 9_999_999)}"

    return make


@pytest.fixture
def unique_ip() -> Callable[[], str]:
    def make() -> str:
        return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

    return make


@pytest.fixture
def last_code(stack: LocalStack) -> Callable[[str], str | None]:
    """The newest code the hook received for a phone ('+' optional). A phone change's code
    goes to the user's `new_phone`, as in Supabase's hook event."""

    def read(phone: str) -> str | None:
        with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
            row = conn.execute(
                "select event -> 'sms' ->> 'otp' from auth_tests.sms_events"
                " where coalesce(event -> 'user' ->> 'new_phone', event -> 'user' ->> 'phone') = %s"
                " order by id desc limit 1",
                [phone.removeprefix("+")],
            ).fetchone()
        return None if row is None else str(row[0])

    return read


@pytest.fixture
def auth_client(stack: LocalStack) -> Iterator[Callable[..., Client]]:
    """supabase-py sync clients; `ip` sets X-Forwarded-For so each test has its own address
    for the per-IP SMS limit."""
    http_clients: list[httpx.Client] = []

    def make(role: str = "anon", ip: str | None = None) -> Client:
        key = stack.config.service_role_key if role == "service_role" else stack.config.anon_key
        http_client = httpx.Client()
        http_clients.append(http_client)
        headers = {"X-Forwarded-For": ip} if ip else {}
        options = ClientOptions(headers=headers, httpx_client=http_client, auto_refresh_token=False)
        return create_client(stack.config.api_url, key, options)

    yield make
    for http_client in http_clients:
        http_client.close()


@pytest.fixture
def make_user(auth_client: Callable[..., Client]) -> Callable[..., dict[str, Any]]:
    """Create a confirmed email user through the admin API; returns its JSON and password."""
    admin = auth_client("service_role")

    def make(**attributes: Any) -> dict[str, Any]:
        email = f"user-{random.randrange(10**9)}@example.com"
        body: dict[str, Any] = {"email": email, "password": "correct horse", "email_confirm": True}
        body.update(attributes)
        user = admin.auth.admin.create_user(body).user  # type: ignore[arg-type]
        return {"id": user.id, "email": body["email"], "password": body["password"], "user": user}

    return make


@pytest.fixture
def db_exec(stack: LocalStack) -> Callable[..., list[tuple[Any, ...]]]:
    """Run one statement as the superuser; returns its rows (empty when it has none)."""

    def run(query: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
            cursor = conn.execute(query.encode(), params)
            return cursor.fetchall() if cursor.description else []

    return run
