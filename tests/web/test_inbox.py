"""Flow 4 in Chromium against the whole local system: a contact texts a picture through the
provider simulator (a signed webhook; the webhook worker copies it into Storage), it appears
live in the open inbox, a colleague is shown viewing it and, assigned it, is told on another
screen, it is answered with a canned reply, the delivered status arrives, a message is saved as a
canned reply, the conversation is closed with a key, and STOP blocks the reply box with the
reason. axe on every state."""

from __future__ import annotations

import base64
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
import segno

from devstack.local_messaging import LocalMessaging
from devstack.stack.manager import LocalStack
from devstack.stack.postgres import SUPERUSER
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun

# The number the `texting` fixture's sender owns.
OUR_NUMBER = "+13055550190"


def picture_png() -> str:
    """A picture big enough to see in the screenshots (a QR code, drawn by segno, which the
    project already uses), base64 as the simulator's inbound media takes it."""
    drawing = io.BytesIO()
    segno.make_qr("https://hellomiami.local/parking").save(drawing, kind="png", scale=4, border=2)
    return base64.b64encode(drawing.getvalue()).decode("ascii")


def add_organizer(supabase_env: dict[str, str], label: str) -> tuple[str, str, str]:
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    email = f"{label}-{uuid.uuid4().hex[:8]}@hellomiami.local"
    with ServiceApi(settings) as api:
        added = staff.add_staff(api, email, "organizer")
    return added.member.email, added.password, str(added.member.user_id)


@pytest.fixture
def contact(stack: LocalStack) -> Iterator[tuple[str, str]]:
    """A contact who has never written (name, phone); removed afterwards (the stack is shared)
    by the platform's admin role: the consent ledger (their STOP) is append-only, so its
    triggers are skipped (session_replication_role) as an operator's cleanup would."""
    db = psycopg.connect(stack.config.db_url(SUPERUSER), autocommit=True)
    phone = f"+1786555{uuid.uuid4().int % 10000:04d}"
    name = f"Inés {uuid.uuid4().hex[:4]}"
    row = db.execute(
        "insert into public.contacts (first_name, last_name, phone, source)"
        " values (%s, 'Visitor', %s, 'e2e-inbox') returning id",
        (name, phone),
    ).fetchone()
    assert row is not None
    yield f"{name} Visitor", phone
    with db:
        db.execute("set session_replication_role = replica")
        db.execute("delete from public.consent_events where contact_id = %s", (row[0],))
        db.execute("delete from public.contact_consents where contact_id = %s", (row[0],))
        db.execute("delete from public.messages where contact_id = %s", (row[0],))
        db.execute("delete from public.conversations where contact_id = %s", (row[0],))
        db.execute("delete from public.contacts where id = %s", (row[0],))


def test_a_texted_picture_is_answered_live_from_the_inbox(
    texting: LocalMessaging,
    supabase_env: dict[str, str],
    contact: tuple[str, str],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    name, phone = contact
    email, password, user_id = add_organizer(supabase_env, "inbox")
    colleague_email, colleague_password, colleague_id = add_organizer(supabase_env, "colleague")
    db.execute(
        "insert into public.canned_replies (shortcut, body, created_by)"
        " values ('parking', 'Park free on NW 2nd Ave after 6pm.', %s)"
        " on conflict (shortcut) do nothing",
        (user_id,),
    )

    def text_in(request: str) -> str:
        asked = json.loads(request)["text_in"]
        body: dict[str, Any] = {"from": phone, "to": OUR_NUMBER}
        if asked == "picture":
            body |= {
                "body": "Is there parking? This is the door.",
                "media": [{"content_type": "image/png", "data_base64": picture_png()}],
            }
        else:
            body |= {"body": "STOP"}
        answer = httpx.post(f"{texting.simulator.url}/_sim/inbound", json=body, timeout=15)
        assert answer.json()["status_code"] == 200, answer.text
        return "sent"

    run = run_browser(
        "inbox",
        answer=text_in,
        STAFF_EMAIL=email,
        STAFF_PASSWORD=password,
        COLLEAGUE_EMAIL=colleague_email,
        COLLEAGUE_PASSWORD=colleague_password,
        COLLEAGUE_ID=colleague_id,
        CONTACT_NAME=name,
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "inbox",
        "conversation-picture",
        "colleague-viewing",
        "assigned-notice",
        "canned-suggestions",
        "delivered",
        "save-canned",
        "closed",
        "blocked",
        "blocked-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert run.result["colleague_path"] == "/staff", "the colleague was told outside the inbox"
    # Shown from our bucket through a signed URL, never from Twilio's.
    assert "/storage/v1/object/sign/message-media/inbound/" in run.result["picture_src"]
    assert "2010-04-01" not in run.result["picture_src"]
    sent = db.execute(
        "select m.body, m.status::text from public.messages m join public.contacts c"
        " on c.id = m.contact_id where c.phone = %s and m.direction = 'outbound'",
        (phone,),
    ).fetchall()
    assert sent == [("Hi! Park free on NW 2nd Ave after 6pm.", "delivered")]
    saved = db.execute(
        "select body, created_by::text from public.canned_replies where shortcut = 'their-question'"
    ).fetchone()
    assert saved == ("Is there parking? This is the door.", user_id)
    db.execute("delete from public.canned_replies where shortcut in ('parking', 'their-question')")
    print(json.dumps(run.result))
