"""One contact in Chromium as an admin: a note with files (preview through a signed link), a
duplicate merged side by side with a chosen value, and an erase followed to completion while
the erasure worker runs; then the files and the login are verified gone. axe on every state."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
from supabase import AsyncClientOptions, Client, acreate_client

from tests.web.conftest import BrowserRun, StaffLogin
from workers.gdpr_erasure import (
    ErasureWorker,
    SupabaseErasureStore,
    SupabaseLogins,
    SupabaseStorageFiles,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def erase_once(supabase_env: dict[str, str], contact_id: str) -> int:
    """What the deployed worker does on its next poll, for this contact's request only (the
    stack is shared: other tests' open requests wait)."""

    async def run() -> int:
        async with httpx.AsyncClient() as http:
            client = await acreate_client(
                supabase_env["SUPABASE_URL"],
                supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
                AsyncClientOptions(
                    httpx_client=http, auto_refresh_token=False, persist_session=False
                ),
            )
            worker = ErasureWorker(
                SupabaseErasureStore(client), SupabaseStorageFiles(client), SupabaseLogins(client)
            )
            return await worker.run_once()

    return asyncio.run(run())


def test_admin_attaches_merges_and_erases_a_contact(
    make_staff: Callable[..., StaffLogin],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
    make_client: Callable[..., Client],
    supabase_env: dict[str, str],
) -> None:
    # Erasing is an admin's act, and admins act as admins only after a second factor.
    admin = make_staff("admin")
    tag = uuid.uuid4().hex[:6]
    # A valid US number (exchange 200-999), so the screens can show it as "(786) 2xx-xxxx".
    phone = f"+1786{2_000_000 + uuid.uuid4().int % 8_000_000:07d}"
    kept = db.execute(
        "insert into public.contacts (first_name, last_name, phone, email, company)"
        " values ('Rosa', %s, %s, %s, 'Marin Co') returning id",
        (f"Marin{tag}", phone, f"rosa.marin.{tag}@gmail.com"),
    ).fetchone()
    duplicate = db.execute(
        "insert into public.contacts (first_name, last_name, email, company)"
        " values ('Rosa', %s, %s, 'Marin Labs') returning id",
        (f"Marín{tag}", f"Rosa.Marin.{tag}+events@gmail.com"),
    ).fetchone()
    assert kept is not None
    assert duplicate is not None
    kept_id, duplicate_id = str(kept[0]), str(duplicate[0])
    service = make_client("service_role")
    login = service.auth.admin.create_user({"phone": phone, "phone_confirm": True})
    user_id = str(login.user.id)
    avatar = f"{user_id}/avatar.png"
    service.storage.from_("avatars").upload(avatar, PNG, {"content-type": "image/png"})
    db.execute(
        "insert into public.profiles (contact_id, avatar_path) values (%s, %s)", (kept_id, avatar)
    )

    def answer(request: str) -> str:
        assert request == "run_erasure_worker"
        db.execute(
            "update public.gdpr_requests set next_attempt_at = now() + interval '1 hour'"
            " where kind = 'erase' and completed_at is null and contact_id <> %s",
            (kept_id,),
        )
        return str(erase_once(supabase_env, kept_id))

    run = run_browser(
        "crm_contact",
        answer=answer,
        **admin.browser_env("STAFF"),
        CONTACT_ID=kept_id,
        KEPT_NAME=f"Rosa Marin{tag}",
        DUPLICATE_NAME=f"Rosa Marín{tag}",
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "duplicates",
        "contact",
        "attachments",
        "preview",
        "merge",
        "erasing",
        "erased",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert run.result["claimed"] == "1"
    # Phones on the edit field and the merge screen as people write them, not E.164.
    assert run.result["phone_field"] == f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
    assert run.result["merge_shows_e164"] is False
    # The admin's GDPR export: the kept contact's document, with the messaging sections.
    exported = run.result["export"]
    assert exported["file"] == f"contact-{kept_id}.json"
    assert exported["contact_id"] == kept_id
    sections = {"contact", "check_ins", "interactions", "messages", "conversations", "consent"}
    assert sections <= set(exported["sections"])
    assert exported["interactions"] >= 1
    print(json.dumps(run.result))

    merged = db.execute(
        "select merged_into from public.contacts where id = %s", (duplicate_id,)
    ).fetchone()
    assert merged == (uuid.UUID(kept_id),)
    # The merge and its choice are audited; the erase then blanked what those entries held.
    audited = db.execute(
        "select action, detail from public.audit_log where record_id = %s"
        " and action in ('merge', 'merge_choices') order by action",
        (kept_id,),
    ).fetchall()
    assert audited == [("merge", {"erased": True}), ("merge_choices", {"erased": True})]
    request = db.execute(
        "select completed_at is not null, storage_objects from public.gdpr_requests"
        " where contact_id = %s and kind = 'erase'",
        (kept_id,),
    ).fetchone()
    assert request is not None
    assert request[0] is True
    uploaded = [name for name in request[1] if name.startswith(f"attachments/{kept_id}/")]
    assert len(uploaded) == 2, request[1]
    assert f"avatars/{avatar}" in request[1]
    left = db.execute(
        "select count(*) from storage.objects where bucket_id || '/' || name = any(%s)",
        (request[1],),
    ).fetchone()
    assert left == (0,), "an erase leaves no file behind"
    assert db.execute("select 1 from auth.users where id = %s", (user_id,)).fetchone() is None
    refused = httpx.post(
        f"{supabase_env['SUPABASE_URL']}/auth/v1/otp",
        json={"phone": phone, "create_user": False},
        headers={"apikey": supabase_env["SUPABASE_ANON_KEY"]},
    )
    assert refused.status_code >= 400, "no login is left to sign in to"
