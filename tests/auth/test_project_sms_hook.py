"""A phone change end to end through the project's own Send-SMS hook (public.send_sms_hook,
as supabase/config.toml configures it): Auth texts the code to the NEW number."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from auth_helpers import present
from supabase import ClientOptions, create_client

from devstack.stack.manager import LocalStack
from devstack.testing import session_stack

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def project_stack(request: pytest.FixtureRequest) -> LocalStack:
    """The test session's stack: config.toml's hook, not this directory's capturing one."""
    return session_stack(request.config)


@pytest.fixture
def transactional_sender(project_stack: LocalStack) -> Iterator[None]:
    """An SMS sender for codes; afterwards it is disabled and the codes queued here removed,
    so no later worker test meets them."""
    url = project_stack.config.db_url()
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "insert into public.senders (name, channel, provider, from_number, mps_segments,"
            " use_for_transactional) values ('Auth test codes', 'sms', 'twilio', '+17865550199',"
            " 1, true) returning id"
        ).fetchone()
    assert row is not None
    yield
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("delete from public.messages where sender_id = %s", [row[0]])
        conn.execute(
            "update public.senders set enabled = false, use_for_transactional = false"
            " where id = %s",
            [row[0]],
        )


@pytest.fixture
def http_client() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def queued_bodies(stack: LocalStack, phone: str) -> list[str]:
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        rows = conn.execute(
            "select body from public.messages where to_address = %s and kind = 'transactional'"
            " order by created_at",
            [phone],
        ).fetchall()
    return [str(body) for (body,) in rows]


@pytest.mark.usefixtures("transactional_sender")
def test_phone_change_code_reaches_the_new_number(
    project_stack: LocalStack, http_client: httpx.Client
) -> None:
    config = project_stack.config
    old = f"+1305{random.randrange(1_000_000, 9_999_999)}"
    new = f"+1305{random.randrange(1_000_000, 9_999_999)}"
    email = f"mover-{random.randrange(10**9)}@example.com"
    # supabase-py leaves the httpx clients it makes open; these are closed by the fixture.
    admin = create_client(
        config.api_url, config.service_role_key, ClientOptions(httpx_client=http_client)
    )
    admin.auth.admin.create_user(
        {
            "email": email,
            "password": "correct horse",
            "email_confirm": True,
            "phone": old,
            "phone_confirm": True,
        }
    )
    user = create_client(
        config.api_url,
        config.anon_key,
        ClientOptions(auto_refresh_token=False, httpx_client=http_client),
    )
    user.auth.sign_in_with_password({"email": email, "password": "correct horse"})

    user.auth.update_user({"phone": new})

    [body] = queued_bodies(project_stack, new)
    assert queued_bodies(project_stack, old) == []
    code = present(CODE.search(body)).group(1)
    changed = user.auth.verify_otp({"phone": new, "token": code, "type": "phone_change"})
    assert present(changed.user).phone == new[1:]
