"""Storage through supabase-py's async client, and the project's own `avatars` bucket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from storage3.exceptions import StorageApiError
from supabase import AClient, AsyncClientOptions, Client, acreate_client

from devstack.stack.manager import LocalStack
from tests.devstack.storage.conftest import AVATARS, PRIVATE, SERVICE_ONLY, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 16


@pytest.fixture
async def make_async_client(stack: LocalStack) -> AsyncIterator[Callable[..., Awaitable[AClient]]]:
    http_clients: list[httpx.AsyncClient] = []

    async def make(access_token: str | None = None, role: str = "anon") -> AClient:
        key = stack.config.service_role_key if role == "service_role" else stack.config.anon_key
        http_client = httpx.AsyncClient()
        http_clients.append(http_client)
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        options = AsyncClientOptions(
            headers=headers, httpx_client=http_client, auto_refresh_token=False
        )
        return await acreate_client(stack.config.api_url, key, options)

    yield make
    for http_client in http_clients:
        await http_client.aclose()


async def test_async_round_trip(
    make_async_client: Callable[..., Awaitable[AClient]], make_user: Callable[..., User]
) -> None:
    alice, bob = make_user(), make_user()
    client: AClient = await make_async_client(alice.token)
    bucket = client.storage.from_(PRIVATE)
    await bucket.upload(alice.key("async/a.txt"), b"async bytes", {"content-type": "text/plain"})
    await bucket.upload(alice.key("async/b.txt"), b"b")
    assert await bucket.download(alice.key("async/a.txt")) == b"async bytes"
    listed = await bucket.list(f"{alice.id}/async", {"sortBy": {"column": "name", "order": "desc"}})
    assert [entry["name"] for entry in listed] == ["b.txt", "a.txt"]

    signed = await bucket.create_signed_url(alice.key("async/a.txt"), 30)
    async with httpx.AsyncClient() as http:
        assert (await http.get(str(signed["signedURL"]))).content == b"async bytes"

    await bucket.move(alice.key("async/b.txt"), alice.key("async/c.txt"))
    await bucket.copy(alice.key("async/c.txt"), alice.key("async/d.txt"))
    assert await bucket.download(alice.key("async/d.txt")) == b"b"
    removed = await bucket.remove([alice.key("async/a.txt"), alice.key("async/c.txt")])
    assert sorted(entry["name"] for entry in removed) == [
        alice.key("async/a.txt"),
        alice.key("async/c.txt"),
    ]

    intruder: AClient = await make_async_client(bob.token)
    with pytest.raises(StorageApiError) as denied:
        await intruder.storage.from_(PRIVATE).upload(alice.key("async/x.txt"), b"x")
    assert denied.value.status == "403"
    with pytest.raises(StorageApiError) as hidden:
        await intruder.storage.from_(PRIVATE).download(alice.key("async/d.txt"))
    assert hidden.value.message == "Object not found"


async def test_async_public_bucket_and_buckets_api(
    make_async_client: Callable[..., Awaitable[AClient]], make_user: Callable[..., User]
) -> None:
    alice = make_user()
    client: AClient = await make_async_client(alice.token)
    await client.storage.from_(AVATARS).upload(
        alice.key("face.png"), PNG, {"content-type": "image/png", "upsert": "true"}
    )
    url = await client.storage.from_(AVATARS).get_public_url(alice.key("face.png"))
    async with httpx.AsyncClient() as http:
        assert (await http.get(url)).content == PNG
    service: AClient = await make_async_client(role="service_role")
    bucket = await service.storage.get_bucket(AVATARS)
    assert (bucket.public, bucket.allowed_mime_types) == (True, ["image/*"])


def test_project_avatars_bucket_from_migrations(
    make_client: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    """The Data model's `avatars` bucket: public, images only, each user under their own folder."""
    alice, bob = make_user(), make_user()
    storage = make_client(access_token=alice.token).storage
    try:
        storage.from_("avatars").upload(
            alice.key("avatar.png"), PNG, {"content-type": "image/png", "upsert": "true"}
        )
        assert (
            httpx.get(storage.from_("avatars").get_public_url(alice.key("avatar.png"))).content
            == PNG
        )
        with pytest.raises(StorageApiError) as elsewhere:
            storage.from_("avatars").upload(
                bob.key("avatar.png"), PNG, {"content-type": "image/png"}
            )
        assert elsewhere.value.status == "403"
        with pytest.raises(StorageApiError) as not_image:
            storage.from_("avatars").upload(
                alice.key("a.txt"), b"t", {"content-type": "text/plain"}
            )
        assert not_image.value.status == "415"
    finally:
        storage.from_("avatars").remove([alice.key("avatar.png")])


async def test_concurrent_upserts_keep_exactly_one_version(
    stack: LocalStack, storage_fixtures: None
) -> None:
    bucket_dir = stack.config.state_dir / "storage" / SERVICE_ONLY
    url = f"{stack.config.api_url}/storage/v1/object/{SERVICE_ONLY}/race.txt"
    headers = {"Authorization": f"Bearer {stack.config.service_role_key}", "x-upsert": "true"}
    async with httpx.AsyncClient(headers=headers) as http:
        assert (await http.post(url, content=b"first")).status_code == 200
        before = {path.name for path in bucket_dir.iterdir()}
        bodies = [f"writer {n}".encode() for n in range(8)]
        responses = await asyncio.gather(*(http.post(url, content=body) for body in bodies))
        assert [response.status_code for response in responses] == [200] * len(bodies)
        final = (await http.get(url)).content
    assert final in bodies
    after = {path.name for path in bucket_dir.iterdir()}
    # Every replaced version's bytes are gone: one new file replaced the one "first" had.
    assert len(after - before) == 1
    assert len(before - after) == 1
