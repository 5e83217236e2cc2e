"""The same Auth flows through supabase-py's async client (`acreate_client`)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from supabase import AClient, AsyncClientOptions, acreate_client
from supabase_auth.errors import AuthApiError

from devstack.stack.manager import LocalStack

LastCode = Callable[[str], str | None]
MakeAsyncClient = Callable[..., Awaitable[AClient]]


@pytest.fixture
async def make_async_client(stack: LocalStack) -> AsyncIterator[MakeAsyncClient]:
    http_clients: list[httpx.AsyncClient] = []

    async def make(role: str = "anon", ip: str | None = None) -> AClient:
        key = stack.config.service_role_key if role == "service_role" else stack.config.anon_key
        http_client = httpx.AsyncClient()
        http_clients.append(http_client)
        options = AsyncClientOptions(
            headers={"X-Forwarded-For": ip} if ip else {},
            httpx_client=http_client,
            auto_refresh_token=False,
        )
        return await acreate_client(stack.config.api_url, key, options)

    yield make
    for http_client in http_clients:
        await http_client.aclose()


async def test_async_password_refresh_update_and_logout(
    make_async_client: MakeAsyncClient,
) -> None:
    admin = await make_async_client("service_role")
    email = f"async-{random.randrange(10**9)}@example.com"
    created = await admin.auth.admin.create_user(
        {"email": email, "password": "async secret", "email_confirm": True}
    )
    client = await make_async_client()
    signed_in = await client.auth.sign_in_with_password(
        {"email": email, "password": "async secret"}
    )
    assert signed_in.user is not None
    assert signed_in.user.id == created.user.id

    refreshed = await client.auth.refresh_session()
    assert refreshed.session is not None
    assert signed_in.session is not None
    assert refreshed.session.refresh_token != signed_in.session.refresh_token

    updated = await client.auth.update_user({"data": {"badge": "volunteer"}})
    assert updated.user.user_metadata == {"badge": "volunteer"}
    current = await client.auth.get_user()
    assert current is not None
    assert current.user.user_metadata == {"badge": "volunteer"}

    await client.auth.sign_out()
    with pytest.raises(AuthApiError) as ended:
        await client.auth.refresh_session(refreshed.session.refresh_token)
    assert str(ended.value.code) == "refresh_token_not_found"

    listed = await admin.auth.admin.list_users(page=1, per_page=1)
    assert len(listed) == 1
    await admin.auth.admin.delete_user(created.user.id)


async def test_async_phone_code(
    make_async_client: MakeAsyncClient,
    unique_phone: Callable[[], str],
    unique_ip: Callable[[], str],
    last_code: LastCode,
) -> None:
    phone = unique_phone()
    client = await make_async_client(ip=unique_ip())
    await client.auth.sign_in_with_otp({"phone": phone})
    code = last_code(phone)
    assert code is not None
    with pytest.raises(AuthApiError) as wrong:
        await client.auth.verify_otp(
            {"phone": phone, "token": f"{(int(code) + 1) % 1_000_000:06d}", "type": "sms"}
        )
    assert wrong.value.code == "otp_expired"
    verified = await client.auth.verify_otp({"phone": phone, "token": code, "type": "sms"})
    assert verified.user is not None
    assert verified.user.phone_confirmed_at is not None
