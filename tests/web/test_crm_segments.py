"""The CRM's list-level screens in Chromium as an organizer: the segment builder (a rule shows
a live count and a sample, a second rule changes the count as it is added, the segment is
saved as the definition the server compiles, renamed, deleted; a messaging rule — opened an
email of a blast, picked by name — changes the count too) and the CSV import of 1,000
rows with in-file duplicates and bad phones (the server's preview; the job interrupted by a
reload after its first chunk, resumed from the page it comes back to, finished with per-row
results as expected, audited); axe on every state."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from devstack.local_messaging import LocalMessaging
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun, worker_stopped


@pytest.fixture
def people(db: psycopg.Connection[tuple[Any, ...]]) -> Iterator[str]:
    """Three contacts from one source: checked in once, twice, never; an email blast (named
    after the source) reached Once and Twice, and only Once opened it. Returns the source."""
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
    blast = db.execute(
        "insert into public.blasts (name, channel, sent_count, started_at)"
        " values (%s, 'email', 2, now() - interval '1 day') returning id",
        (f"{source} news",),
    ).fetchone()
    assert blast is not None
    for name, opened in (("Once", True), ("Twice", False)):
        contact = contacts[name]
        assert contact is not None
        db.execute(
            "insert into public.messages (kind, channel, status, contact_id, blast_id, to_address,"
            " subject, body, opened_at) values ('blast', 'email', 'delivered', %s, %s,"
            " 'seg@example.com', 'News', 'Hello', case when %s then now() end)",
            (contact[0], blast[0], opened),
        )
    yield source
    db.execute("delete from public.messages where blast_id = %s", (blast[0],))
    db.execute("delete from public.blasts where id = %s", (blast[0],))
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


IMPORT_ROWS = 1_000


def is_bad_phone(row: int) -> bool:
    return row % 20 == 7


def repeats_previous_row(row: int) -> bool:
    """The same person as the row before (row 501 repeats row 500, across the job's chunks)."""
    return row > 1 and row % 25 == 1


def write_import_csv(path: Path, source: str) -> None:
    """IMPORT_ROWS people with fresh numbers (a random exchange of area code 689), some bad
    phones and some rows repeating the row before."""
    exchange = random.randint(200, 999)
    lines = ["Name,Email,Phone Number"]
    for row in range(1, IMPORT_ROWS + 1):
        person = row - 1 if repeats_previous_row(row) else row
        phone = "12345" if is_bad_phone(row) else f"(689) {exchange}-{person:04d}"
        lines.append(f"Imp Row{person},{source}-{person}@example.com,{phone}")
    path.write_text("\r\n".join(lines) + "\r\n")


def expected_counts(rows: int) -> dict[str, int]:
    """Outcomes of the first `rows` rows of that file on a database that knows none of them."""
    errors = sum(is_bad_phone(row) for row in range(1, rows + 1))
    repeats = sum(repeats_previous_row(row) for row in range(1, rows + 1))
    return {"inserted": rows - errors - repeats, "skipped": repeats, "error": errors}


def test_organizer_builds_a_segment_and_imports_a_csv(
    people: str,
    organizer: tuple[str, str],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
    texting: LocalMessaging,
    tmp_path: Path,
) -> None:
    email, password = organizer
    csv_file = tmp_path / f"{people}.csv"
    write_import_csv(csv_file, people)
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

    # The browser is the import's only runner: the worker would finish it in the background.
    with worker_stopped(texting):
        run = run_browser(
            "crm_segments",
            answer=answer,
            STAFF_EMAIL=email,
            STAFF_PASSWORD=password,
            SOURCE=people,
            SEGMENT_NAME=name,
            RENAMED=renamed,
            IMPORT_CSV=str(csv_file),
        )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "segments-new",
        "segments-source",
        "segments-first-timers",
        "segments-saved",
        "segments-confirm-delete",
        "segments-opened",
        "import-preview",
        "import-interrupted",
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

    shown = next(line["import"] for line in run.lines if "import" in line)
    preview = expected_counts(50)
    assert shown["preview"] == (
        f"{preview['inserted']} new, 0 updated, {preview['skipped']} unchanged,"
        f" {preview['error']} with errors"
    )
    counts = expected_counts(IMPORT_ROWS)
    assert shown["finished"] == (
        f"Import finished: {counts['inserted']} added, 0 updated, {counts['skipped']} unchanged,"
        f" {counts['error']} with errors."
    )
    assert shown["finished_es"] == (
        f"Importación terminada: {counts['inserted']} añadidas, 0 actualizadas,"
        f" {counts['skipped']} sin cambios, {counts['error']} con errores."
    )
    # The downloaded per-row results hold every row once, with its outcome.
    assert shown["results"] == counts
    job = db.execute(
        "select i.status, i.processed_rows, i.inserted_rows, i.skipped_rows, i.error_rows,"
        " i.storage_path is not null from public.contact_imports i where i.file_name = %s",
        (f"{people}.csv",),
    ).fetchone()
    assert job == (
        "done",
        IMPORT_ROWS,
        counts["inserted"],
        counts["skipped"],
        counts["error"],
        True,
    )
    reasons = db.execute(
        "select r.row_number, r.status, r.reason from public.contact_import_rows r"
        " join public.contact_imports i on i.id = r.import_id"
        " where i.file_name = %s and r.row_number in (7, 501) order by r.row_number",
        (f"{people}.csv",),
    ).fetchall()
    assert [row[:2] for row in reasons] == [(7, "error"), (501, "skipped")]
    assert "phone" in str(reasons[0][2]).lower()
    assert reasons[1][2] is not None, "a repeat across chunks says which row it repeats"
    imported = db.execute(
        "select count(*), count(distinct phone) from public.contacts where source = %s",
        (f"{people}-import",),
    ).fetchone()
    assert imported == (counts["inserted"], counts["inserted"])
    import_audit = db.execute(
        "select array_agg(action order by id) from public.audit_log"
        " where table_name = 'contact_imports' and detail ->> 'file_name' = %s",
        (f"{people}.csv",),
    ).fetchone()
    assert import_audit == (
        ["contact_import_staged", "contact_import_started", "contact_import_finished"],
    )
    print(json.dumps(run.result))
