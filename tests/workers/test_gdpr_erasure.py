"""GDPR erase that completes, against the real stand-in Storage and Auth: the attendee's own
request and an admin's erase go through one worker, which survives being killed mid-way."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import psycopg
import pytest
from supabase import AsyncClient, AsyncClientOptions, acreate_client

from devstack.stack.manager import LocalStack
from workers.gdpr_erasure import (
    ErasureWorker,
    SupabaseErasureStore,
    SupabaseLogins,
    SupabaseStorageFiles,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def service(supabase_env: dict[str, str]) -> AsyncIterator[AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield await acreate_client(
            supabase_env["SUPABASE_URL"],
            supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
            AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False),
        )


class KilledMidWork(SupabaseStorageFiles):
    """Deletes the first bucket's files, then hangs until the test kills the worker."""

    def __init__(self, client: AsyncClient) -> None:
        super().__init__(client)
        self.first_removal = asyncio.Event()

    async def remove(self, bucket: str, paths: list[str]) -> None:
        await super().remove(bucket, paths)
        self.first_removal.set()
        await asyncio.Event().wait()


async def person_with_files(
    service: AsyncClient, db: psycopg.Connection[tuple[Any, ...]]
) -> tuple[str, str, list[str]]:
    """An attendee with a login, an avatar, a note with a PDF, a file no row points at any more,
    an MMS picture they sent (by URL), and two pictures texted to us whose copies the media
    worker put in message-media — one recorded on its message, one uploaded but not recorded
    yet; returns (contact id, user id, storage objects)."""
    phone = f"+1786{uuid.uuid4().int % 10_000_000:07d}"
    user = await service.auth.admin.create_user({"phone": phone, "phone_confirm": True})
    user_id = str(user.user.id)
    row = db.execute(
        "insert into public.contacts (phone, first_name, user_id) values (%s, 'Erin', %s)"
        " on conflict (phone) do update set user_id = excluded.user_id returning id",
        (phone, user_id),
    ).fetchone()
    assert row is not None
    contact_id = str(row[0])
    objects = [
        f"avatars/{user_id}/avatar.png",
        f"attachments/{contact_id}/scan.pdf",
        f"attachments/{contact_id}/removed-from-note.pdf",
        f"attachments/mms/{contact_id}-photo.png",
    ]
    for object_path in objects:
        bucket, _, path = object_path.partition("/")
        kind = "image/png" if path.endswith(".png") else "application/pdf"
        body = PNG if kind == "image/png" else PDF
        await service.storage.from_(bucket).upload(path, body, {"content-type": kind})
    db.execute(
        "insert into public.profiles (contact_id, bio, avatar_path) values (%s, 'Robots', %s)",
        (contact_id, f"{user_id}/avatar.png"),
    )
    db.execute(
        "insert into public.interactions (contact_id, kind, body, attachments)"
        " values (%s, 'note', 'Allergic to peanuts', jsonb_build_array(jsonb_build_object("
        "'path', %s::text, 'name', 'scan.pdf')))",
        (contact_id, f"{contact_id}/scan.pdf"),
    )
    db.execute(
        "insert into public.messages (contact_id, direction, channel, kind, status, to_address,"
        " from_address, body, media_urls) values (%s, 'inbound', 'sms', 'conversation',"
        " 'received', '+13055550000', %s, 'look', array[%s])",
        (contact_id, phone, f"https://x.test/storage/v1/object/{objects[3]}"),
    )
    for media in ("message-media/inbound/{id}/0.png", "https://api.twilio.test/Media/ME1"):
        message = db.execute(
            "insert into public.messages (contact_id, direction, channel, kind, status, to_address,"
            " from_address, body, media_urls) values (%s, 'inbound', 'sms', 'conversation',"
            " 'received', '+13055550000', %s, 'a picture', array['pending']) returning id",
            (contact_id, phone),
        ).fetchone()
        assert message is not None
        copy = f"message-media/inbound/{message[0]}/0.png"
        await service.storage.from_("message-media").upload(
            copy.removeprefix("message-media/"), PNG, {"content-type": "image/png"}
        )
        db.execute(
            "update public.messages set media_urls = array[%s] where id = %s",
            (media.format(id=message[0]), message[0]),
        )
        objects.append(copy)
    return contact_id, user_id, objects


def stored(db: psycopg.Connection[tuple[Any, ...]], objects: list[str]) -> list[str]:
    rows = db.execute(
        "select bucket_id || '/' || name from storage.objects"
        " where bucket_id || '/' || name = any(%s) order by 1",
        (objects,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def has_login(db: psycopg.Connection[tuple[Any, ...]], user_id: str) -> bool:
    return db.execute("select 1 from auth.users where id = %s", (user_id,)).fetchone() is not None


async def test_attendee_request_completes_after_the_worker_is_killed_mid_way(
    service: AsyncClient,
    db: psycopg.Connection[tuple[Any, ...]],
    stack: LocalStack,
    make_token: Callable[..., str],
) -> None:
    contact_id, user_id, objects = await person_with_files(service, db)
    assert stored(db, objects) == sorted(objects)
    api = stack.config.api_url
    headers = {"apikey": stack.config.anon_key}
    token = make_token(user_id, role="authenticated")
    as_person = {**headers, "Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient() as http:
        asked = await http.post(f"{api}/rest/v1/rpc/request_my_erasure", json={}, headers=as_person)
    assert asked.status_code == 200, asked.text
    # Other tests' requests share the stack: only this person's is due.
    db.execute(
        "update public.gdpr_requests set next_attempt_at = now() + interval '1 hour'"
        " where kind = 'erase' and completed_at is null and contact_id <> %s",
        (contact_id,),
    )

    store = SupabaseErasureStore(service)
    dying_files = KilledMidWork(service)
    dying = ErasureWorker(store, dying_files, SupabaseLogins(service), lease_seconds=1)
    killed = asyncio.create_task(dying.run_once())
    await asyncio.wait_for(dying_files.first_removal.wait(), 10)
    killed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await killed
    left = stored(db, objects)
    assert 0 < len(left) < len(objects), "killed after the first bucket, before the second"
    assert has_login(db, user_id)

    await asyncio.sleep(1.1)  # the dead worker's lease runs out
    worker = ErasureWorker(store, SupabaseStorageFiles(service), SupabaseLogins(service))
    assert await worker.run_once() == 1

    assert stored(db, objects) == []
    assert not has_login(db, user_id)
    gone = await service.storage.from_("attachments").create_signed_urls(
        [f"{contact_id}/scan.pdf"], 60
    )
    assert not gone[0].get("signedURL")
    async with httpx.AsyncClient() as http:
        refused = await http.get(f"{api}/auth/v1/user", headers=as_person)
    assert refused.status_code in (401, 403, 404), refused.text
    request = db.execute(
        "select completed_at is not null, attempts, last_error from public.gdpr_requests"
        " where contact_id = %s and kind = 'erase'",
        (contact_id,),
    ).fetchone()
    assert request == (True, 2, None)
    contact = db.execute(
        "select first_name, phone, erased_at is not null from public.contacts where id = %s",
        (contact_id,),
    ).fetchone()
    assert contact == (None, None, True)


async def test_storage_outage_is_retried_with_its_reason_then_completes(
    service: AsyncClient,
    db: psycopg.Connection[tuple[Any, ...]],
    supabase_env: dict[str, str],
) -> None:
    contact_id, user_id, objects = await person_with_files(service, db)
    db.execute(
        "insert into public.gdpr_requests (contact_id, kind, note) values (%s, 'erase', 'test')",
        (contact_id,),
    )
    db.execute(
        "update public.gdpr_requests set next_attempt_at = now() + interval '1 hour'"
        " where kind = 'erase' and completed_at is null and contact_id <> %s",
        (contact_id,),
    )
    async with httpx.AsyncClient() as http:
        unreachable = await acreate_client(
            "http://127.0.0.1:9",  # nothing listens: Storage is down
            supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
            AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False),
        )
        store = SupabaseErasureStore(service)
        down = ErasureWorker(store, SupabaseStorageFiles(unreachable), SupabaseLogins(service))
        assert await down.run_once() == 1
    request = db.execute(
        "select completed_at, last_error like 'ConnectError%%', next_attempt_at > now()"
        " from public.gdpr_requests where contact_id = %s",
        (contact_id,),
    ).fetchone()
    assert request == (None, True, True)
    assert has_login(db, user_id)

    db.execute(
        "update public.gdpr_requests set next_attempt_at = now() where contact_id = %s",
        (contact_id,),
    )
    worker = ErasureWorker(store, SupabaseStorageFiles(service), SupabaseLogins(service))
    assert await worker.run_once() == 1
    assert stored(db, objects) == []
    assert not has_login(db, user_id)
