"""The CRM's list-level screens in Chromium as an organizer: the segment builder (a rule shows
a live count and a sample, a second rule changes the count as it is added, the segment is
saved as the definition the server compiles, renamed, deleted) and the CSV import (one bad row
is shown as an error, the rest imported by the server-side job, audited); axe on every state."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun


@pytest.fixture
def people(db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[str]:
    """Three contacts from one source: checked in once, twice, never. Returns the source."""
    source = f"e2e-seg-{uuid.uuid4().hex[:8]}"
    events = [
        db.execute(
            "insert into public.events (slug, name, starts_at, ends_at)"
            " values (%s, %s, now() - %s * interval '1 day', now() - %s * interval '1 day')"
            " returning id",
            (f"{source}-{n}", f"Segments e2e {n}", 30 * n, 30 * n),
        ).fetchone()
        for n in (1, 2)
    ]
    contacts = {
        name: db.execute(
            "insert into public.contacts (first_name, last_name, source) values (%s, %s, %s)"
            " returning id",
            ("Seg", name, source),
        ).fetchone()
        for name in ("Once", "Twice", "Never")
    }
    for event, contact in [
        (events[0], contacts["Once"]),
        (events[0], contacts["Twice"]),
        (events[1], contacts["Twice"]),
    ]:
        assert event is not None
        assert contact is not None
        db.execute(
            "insert into public.check_ins (event_id, contact_id, method) values (%s, %s, 'qr')",
            (event[0], contact[0]),
        )
    yield source
    db.execute("delete from public.contact_imports where file_name = %s", (f"{source}.csv",))
    db.execute(
        "delete from public.check_ins where contact_id in"
        " (select id from public.contacts where source = %s)",
        (source,),
    )
    db.execute("delete from public.contacts where source in (%s, %s)", (source, f"{source}-import"))
    db.execute("delete from public.events where slug like %s", (f"{source}-%",))


@pytest.fixture
def organizer(supabase_env: dict[str, str]) -> tuple[str, str]:
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        added = staff.add_staff(api, f"seg-{uuid.uuid4().hex[:8]}@hellomiami.local", "organizer")
    return added.member.email, added.password


def test_organizer_builds_a_segment_and_imports_a_csv(
    people: str,
    organizer: tuple[str, str],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    email, password = organizer
    name = f"E2E first-timers {uuid.uuid4().hex[:6]}"
    renamed = f"{name} (renamed)"
    stored: list[Any] = []

    def answer(request: str) -> str:
        asked = json.loads(request)
        row = db.execute(
            "select definition from public.segments where name = %s", (asked["saved"],)
        ).fetchone()
        stored.append(row)
        return "ok"

    run = run_browser(
        "crm_segments",
        answer=answer,
        STAFF_EMAIL=email,
        STAFF_PASSWORD=password,
        SOURCE=people,
        SEGMENT_NAME=name,
        RENAMED=renamed,
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "segments-new",
        "segments-source",
        "segments-first-timers",
        "segments-saved",
        "segments-confirm-delete",
        "import-preview",
        "import-done",
        "import-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert stored == [({"source": people, "min_checkins": 1, "max_checkins": 1},)]
    left = db.execute(
        "select count(*) from public.segments where name in (%s, %s)", (name, renamed)
    ).fetchone()
    assert left == (0,)
    audited = db.execute(
        "select count(*) from public.audit_log where table_name = 'segments'"
        " and (after ->> 'name' in (%s, %s) or before ->> 'name' in (%s, %s))",
        (name, renamed, name, renamed),
    ).fetchone()
    assert audited is not None
    assert audited[0] >= 3
    imported = db.execute(
        "select first_name, last_name, phone from public.contacts where source = %s order by 1, 2",
        (f"{people}-import",),
    ).fetchall()
    assert imported == [("Imp", "One", "+13055550101"), ("Imp", "Two", None)]
    job = db.execute(
        "select i.status, i.inserted_rows, i.error_rows, i.storage_path is not null,"
        " (select reason from public.contact_import_rows r where r.import_id = i.id"
        "   and r.status = 'error')"
        " from public.contact_imports i where i.file_name = %s",
        (f"{people}.csv",),
    ).fetchone()
    assert job is not None
    assert job[:4] == ("done", 2, 1, True)
    assert "phone" in str(job[4]).lower()
    import_audit = db.execute(
        "select array_agg(action order by id) from public.audit_log"
        " where table_name = 'contact_imports' and detail ->> 'file_name' = %s",
        (f"{people}.csv",),
    ).fetchone()
    assert import_audit == (
        ["contact_import_staged", "contact_import_started", "contact_import_finished"],
    )
    print(json.dumps(run.result))
