"""The attendee's own page (/me) in Chromium against the whole local system."""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
from supabase import Client

from tests.web.conftest import BrowserRun, Venue


def landscape_png(path: Path, width: int = 300, height: int = 200) -> Path:
    """A real PNG photo stand-in, wider than tall, so the square crop is visible."""
    row = b"\x00" + bytes([30, 120, 200]) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
    path.write_bytes(png + chunk(b"IEND", b""))
    return path


def test_attendee_page_consent_language_profile_avatar_export_and_erasure(
    venue: Venue,
    run_browser: Callable[..., BrowserRun],
    phone_inbox: Callable[[str], str],
    db: psycopg.Connection[tuple[Any, ...]],
    supabase_env: dict[str, str],
    make_client: Callable[..., Client],
    tmp_path: Path,
) -> None:
    local = f"555{random.randrange(1000, 10000)}"
    e164 = f"+1786{local}"
    checked_in = venue.door.volunteer.rpc(
        "check_in",
        {
            "p_event_id": venue.door.event_id,
            "p_phone": e164,
            "p_registration": {"first_name": "Marta"},
        },
    ).execute()
    assert isinstance(checked_in.data, dict)
    event = db.execute(
        "select name from public.events where id = %s", (venue.door.event_id,)
    ).fetchone()
    assert event is not None
    # They signed in once before and uploaded a JPEG (older browsers encode no WebP): the new
    # WebP must not leave it behind.
    service = make_client("service_role")
    user = service.auth.admin.create_user({"phone": e164, "phone_confirm": True}).user
    old_avatar = f"{user.id}/avatar.jpg"
    service.storage.from_("avatars").upload(
        old_avatar, b"\xff\xd8\xff\xe0 not really a photo", {"content-type": "image/jpeg"}
    )
    db.execute(
        "insert into public.profiles (contact_id, avatar_path)"
        " select id, %s from public.contacts where phone = %s",
        (old_avatar, e164),
    )

    run = run_browser(
        "me",
        answer=phone_inbox,
        PHONE_TYPED=f"786{local}",
        PHONE_E164=e164,
        EVENT_NAME=event[0],
        AVATAR_FILE=str(landscape_png(tmp_path / "photo.png")),
    )

    width, height = run.result["avatar_size"]
    assert width == height <= 512, "the photo is framed as a square of at most 512 px"
    assert run.result["frame_moved"], "the frame moves with the keyboard"
    assert run.result["export_phone"] == e164
    assert run.result["export_check_ins"] == 1
    assert run.result["html_lang"] == "es"
    contact = db.execute(
        "select c.id, c.preferred_language, p.linkedin_url, p.bio, p.avatar_path"
        " from public.contacts c join public.profiles p on p.contact_id = c.id where c.phone = %s",
        (e164,),
    ).fetchone()
    assert contact is not None
    assert contact[1:4] == ("es", "https://linkedin.com/in/maria-web", "Builds things in Miami.")
    avatar = httpx.get(
        f"{supabase_env['SUPABASE_URL']}/storage/v1/object/public/avatars/{contact[4]}", timeout=10
    )
    assert avatar.status_code == 200
    assert avatar.content[:4] == b"RIFF"
    assert avatar.content[8:12] == b"WEBP"
    assert contact[4] == f"{user.id}/avatar.webp"
    left = db.execute(
        "select name from storage.objects where bucket_id = 'avatars' and name like %s",
        (f"{user.id}/%",),
    ).fetchall()
    assert left == [(contact[4],)], "the older JPEG was removed through the Storage API"
    consent = db.execute(
        "select e.status::text, e.source::text, d.channel::text, d.locale"
        " from public.consent_events e join public.consent_disclosures d on d.id = e.disclosure_id"
        " where e.contact_id = %s",
        (contact[0],),
    ).fetchall()
    assert consent == [("opted_in", "form", "sms", "en")]
    erase = db.execute(
        "select count(*) from public.gdpr_requests"
        " where contact_id = %s and kind = 'erase' and completed_at is null",
        (contact[0],),
    ).fetchone()
    assert erase == (1,)
