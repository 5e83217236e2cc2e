"""`hm contacts import|export` against the session stack."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from typer.testing import Result


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_import_maps_previews_dedupes_and_reports_per_row(
    run_hm: Callable[..., Result],
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
    unique: str,
) -> None:
    n = int(unique, 16) % 9000 + 1000
    file = write_csv(
        tmp_path / "people.csv",
        ["Mobile", "E-mail", "Given Name", "Surname", "Shirt", "Notes"],
        [
            [f"(786) 555-{n}", f"ana-{unique}@example.com", "Ana", "Diaz", "M", "likes tacos"],
            [f"+1 786 555 {n}", "", "Ana", "", "", ""],
            ["not a phone", "", "Broken", "", "", ""],
            ["", "", "Nobody", "", "", ""],
            ["", f"BEN-{unique}@example.com", "Ben", "", "L", ""],
        ],
    )
    report = tmp_path / "report.csv"
    result = run_hm(
        "contacts",
        "import",
        str(file),
        "--map",
        "Shirt=custom:shirt",
        "--map",
        "Notes=-",
        "--yes",
        "--batch-size",
        "2",
        "--report",
        str(report),
    )
    assert result.exit_code == 0, result.output
    assert "Mobile → phone" in result.output
    assert "ignored: Notes" in result.output
    assert "5 rows; of the first 5: 2 new, 0 updated, 1 unchanged, 2 errors" in result.output
    assert "inserted 2, updated 0, skipped 1, errors 2" in result.output
    assert "row 3: invalid_phone" in result.output
    assert "row 4: invalid_row: A row needs a phone or an email." in result.output

    row = db.execute(
        "select first_name, last_name, email, custom_fields ->> 'shirt', source "
        "from public.contacts where phone = %s",
        (f"+1786555{n}",),
    ).fetchone()
    assert row == ("Ana", "Diaz", f"ana-{unique}@example.com", "M", "import")
    with report.open(newline="") as handle:
        statuses = [line["status"] for line in csv.DictReader(handle)]
    assert statuses == ["inserted", "skipped", "error", "error", "inserted"]

    again = run_hm("contacts", "import", str(file), "--map", "Shirt=custom:shirt", "--yes")
    assert "inserted 0, updated 0, skipped 3, errors 2" in again.output


def test_dry_run_changes_nothing(
    run_hm: Callable[..., Result],
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
    unique: str,
) -> None:
    file = write_csv(tmp_path / "dry.csv", ["email"], [[f"dry-{unique}@example.com"]])
    result = run_hm("contacts", "import", str(file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 rows; of the first 1: 1 new" in result.output
    count = db.execute(
        "select count(*) from public.contacts where email = %s", (f"dry-{unique}@example.com",)
    ).fetchone()
    assert count == (0,)


def test_declined_confirmation_cancels(
    run_hm: Callable[..., Result], tmp_path: Path, unique: str
) -> None:
    file = write_csv(tmp_path / "no.csv", ["email"], [[f"no-{unique}@example.com"]])
    result = run_hm("contacts", "import", str(file), input="n\n")
    assert result.exit_code == 1
    assert "import cancelled" in result.output


def test_mapping_errors_are_clear(run_hm: Callable[..., Result], tmp_path: Path) -> None:
    file = write_csv(tmp_path / "odd.csv", ["Name", "Shoe"], [["Ann", "44"]])
    no_address = run_hm("contacts", "import", str(file), "--yes")
    assert no_address.exit_code == 1
    assert "Map a column to phone or email" in no_address.output
    bad_field = run_hm("contacts", "import", str(file), "--map", "Shoe=shoe_size")
    assert bad_field.exit_code == 1
    assert "Unknown field for Shoe: shoe_size" in bad_field.output
    missing = run_hm("contacts", "import", str(file), "--map", "Phone=phone")
    assert missing.exit_code == 1
    assert "The file has no column Phone" in missing.output


def test_an_interrupted_import_resumes_without_duplicates(
    run_hm: Callable[..., Result],
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
    unique: str,
) -> None:
    rows = [[f"resume-{i}-{unique}@example.com"] for i in range(7)]
    file = write_csv(tmp_path / "resume.csv", ["email"], rows)
    staged = run_hm("contacts", "import", str(file), "--dry-run")
    assert staged.exit_code == 0, staged.output
    import_id = db.execute(
        "select id from public.contact_imports where file_name = 'resume.csv'"
        " order by created_at desc limit 1"
    ).fetchone()
    assert import_id is not None
    # What a runner killed after its first chunk leaves behind: a running import, 3 rows done
    # (run here as the service role, as the CLI and workers call it).
    db.execute("select set_config('request.jwt.claims', '{\"role\": \"service_role\"}', false)")
    db.execute('select public.start_contact_import(%s, \'{"email": "email"}\')', (import_id[0],))
    db.execute("select public.run_contact_import_chunk(%s, 3)", (import_id[0],))
    resumed = run_hm("contacts", "import", "--resume", str(import_id[0]), "--batch-size", "2")
    assert resumed.exit_code == 0, resumed.output
    assert "inserted 7, updated 0, skipped 0, errors 0" in resumed.output
    count = db.execute(
        "select count(*) from public.contacts where email like %s",
        (f"resume-%-{unique}@example.com",),
    ).fetchone()
    assert count == (7,)


def test_export_writes_every_live_contact(
    run_hm: Callable[..., Result],
    db: psycopg.Connection[tuple[Any, ...]],
    tmp_path: Path,
    unique: str,
) -> None:
    tag = f"export-{unique}"
    db.execute(
        "insert into public.contacts (email, first_name, tags, birthday_month, birthday_day) "
        "select 'exp-' || i || %s || '@example.com', 'Exp' || i, array[%s], 3, 9 "
        "from generate_series(1, 1203) i",
        (unique, tag),
    )
    out = tmp_path / "export.csv"
    result = run_hm(
        "contacts", "export", "--out", str(out), "--segment", f'{{"tags_any": ["{tag}"]}}'
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1203, "paged past PostgREST's 1000-row cap"
    assert rows[0]["tags"] == tag
    assert rows[0]["birthday"] == "03-09"

    everything = run_hm("contacts", "export")
    assert everything.exit_code == 0
    exported = list(csv.DictReader(io.StringIO(everything.stdout)))
    assert len(exported) >= 1203

    bad = run_hm("contacts", "export", "--segment", '{"nope": 1}')
    assert bad.exit_code == 1
    assert "invalid_segment" in bad.output
