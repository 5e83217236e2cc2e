"""The CRM in Chromium as an organizer: find one person among 100k contacts by typing, filter
and bulk-tag, save the view as a segment, open the person, fix their details (a bad phone is
refused, a birthday without a year is kept), log a note, and watch a text they send arrive on
the timeline live. axe on every state."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from devstack.stack.manager import LocalStack
from devstack.stack.postgres import SUPERUSER
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun

CONTACTS = 100_000
TARGET_TAG = "e2e-vip"


@pytest.fixture
def admin_db(stack: LocalStack) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """The platform's admin role: skipping triggers for a bulk load (session_replication_role)
    takes more than the migrations' `postgres` has, locally as on hosted."""
    with psycopg.connect(stack.config.db_url(SUPERUSER), autocommit=True) as conn:
        yield conn


@pytest.fixture
def crowd(admin_db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[tuple[str, str]]:
    """100k contacts (bulk-loaded without per-row triggers) and one person to find among them;
    returns (batch source, the person's contact id). Removed afterwards: the stack is shared."""
    db = admin_db
    batch = f"e2e-crm-{uuid.uuid4().hex[:8]}"
    db.execute("set session_replication_role = replica")
    db.execute(
        "insert into public.contacts (first_name, last_name, email, company, source, created_at)"
        " select 'Person' || i, 'Crowd' || (i %% 997), 'crowd' || i || '@example.com',"
        "        'Company ' || (i %% 311), %s,"
        "        now() - interval '1 day' - (i || ' seconds')::interval"
        "   from generate_series(1, %s) i",
        (batch, CONTACTS - 1),
    )
    db.execute("set session_replication_role = origin")
    row = db.execute(
        "insert into public.contacts (first_name, last_name, email, company, tags, source,"
        "  created_at)"
        " values ('Zelda', 'Quintero', 'zelda.q@example.com', 'Quintero Labs', %s, %s,"
        "  now() - interval '2 days') returning id",
        ([TARGET_TAG], batch),
    ).fetchone()
    assert row is not None
    # What autovacuum does after a bulk load: the trigram index's pending list merged, statistics.
    db.execute("vacuum analyze public.contacts")
    yield batch, str(row[0])
    db.execute(
        "delete from public.interactions where contact_id in"
        " (select id from public.contacts where source = %s)",
        (batch,),
    )
    db.execute(
        "delete from public.messages where contact_id in"
        " (select id from public.contacts where source = %s)",
        (batch,),
    )
    db.execute("set session_replication_role = replica")
    db.execute("delete from public.contacts where source = %s", (batch,))
    db.execute("set session_replication_role = origin")


@pytest.fixture
def organizer(supabase_env: dict[str, str]) -> tuple[str, str]:
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        added = staff.add_staff(api, f"crm-{uuid.uuid4().hex[:8]}@hellomiami.local", "organizer")
    return added.member.email, added.password


def test_organizer_finds_tags_edits_and_follows_a_contact(
    crowd: tuple[str, str],
    organizer: tuple[str, str],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    _, contact_id = crowd
    email, password = organizer
    view_name = f"E2E VIPs {uuid.uuid4().hex[:6]}"

    def answer(request: str) -> str:
        asked = json.loads(request)
        if asked["send_text"] == contact_id:
            db.execute(
                "insert into public.messages (direction, kind, channel, status, contact_id,"
                " to_address, from_address, body) values ('inbound', 'conversation', 'sms',"
                " 'received', %s, '+13055550190', '+13055550177', 'Thanks for the welcome!')",
                (contact_id,),
            )
            return str(time.time())
        raise AssertionError(f"unexpected request {request}")

    run = run_browser(
        "crm_contacts",
        answer=answer,
        STAFF_EMAIL=email,
        STAFF_PASSWORD=password,
        VIEW_NAME=view_name,
        TARGET_TAG=TARGET_TAG,
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "list",
        "search",
        "filtered-selected",
        "bulk-tagged",
        "contact",
        "contact-invalid",
        "contact-saved",
        "timeline-note",
        "timeline-live",
        "timeline-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    # The session's stack is shared: other tests' contacts are counted too.
    assert int(run.result["total_shown"].replace(",", "")) >= CONTACTS

    contact = db.execute(
        "select phone, birthday_month, birthday_day, birthday_year, tags, custom_fields"
        " from public.contacts where id = %s",
        (contact_id,),
    ).fetchone()
    assert contact == ("+13055550177", 2, 29, None, [TARGET_TAG, "followup"], {"shirt": "M"})
    segment = db.execute(
        "select definition from public.segments where name = %s", (view_name,)
    ).fetchone()
    assert segment == ({"tags_any": [TARGET_TAG]},)
    note = db.execute(
        "select kind, body from public.interactions where contact_id = %s", (contact_id,)
    ).fetchall()
    assert note == [("note", "Met at the door; wants to speak in March.")]
    audited = db.execute(
        "select detail ->> 'changed' from public.audit_log where action = 'tag_bulk'"
        " and detail -> 'add' = %s::jsonb order by id desc limit 1",
        (json.dumps(["followup"]),),
    ).fetchone()
    assert audited == ("1",)
    # Search answers while typing: the last keystroke to the row on screen, through REST.
    assert run.result["search_ms"] < 2000
    print(json.dumps(run.result))
