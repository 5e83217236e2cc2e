"""CSV import through the server's import job — the same SQL functions the web app calls
(`create_contact_import`, `preview_contact_import`, `start_contact_import`,
`run_contact_import_chunk`): the server guesses the mapping, validates, deduplicates and
imports; this module only reads the file into cells and relays what the server says."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hm.errors import HmError
from hm.people.service_api import ServiceApi

IGNORE = "-"
# Rows per chunk: one transaction each, so a killed import redoes at most this many.
CHUNK_SIZE = 500
# PostgREST answers at most this many rows per request.
PAGE = 1000


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """`["Phone=phone", "Shirt=custom:shirt", "Notes=-"]` → {csv header: field}; the server
    checks the fields and columns."""
    mapping: dict[str, str] = {}
    for option in options:
        header, sep, target = option.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise HmError(f"--map {option!r}: write it as 'CSV column=field'")
        mapping[header.strip()] = target.strip()
    return mapping


@dataclass(frozen=True)
class CsvFile:
    headers: tuple[str, ...]
    rows: list[list[str]]


def read_csv(path: Path) -> CsvFile:
    """Read a UTF-8 CSV (a spreadsheet's byte-order mark is fine) with a header row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            records = [row for row in csv.reader(handle) if any(cell != "" for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise HmError(f"cannot read {path}: {error}") from error
    if not records:
        raise HmError(f"{path} has no header row")
    headers = tuple(header.strip() for header in records[0])
    return CsvFile(headers, records[1:])


@dataclass(frozen=True)
class StagedImport:
    id: str
    mapping: dict[str, str]
    total_rows: int


def stage(api: ServiceApi, file_name: str, data: CsvFile) -> StagedImport:
    """Stage the rows as a draft import; the server guesses the mapping."""
    if not data.rows:
        raise HmError("the file has no data rows")
    import_id = str(
        api.rpc(
            "create_contact_import",
            {"p_file_name": file_name, "p_headers": list(data.headers), "p_rows": data.rows},
        )
    )
    return StagedImport(import_id, dict(read_import(api, import_id)["mapping"]), len(data.rows))


def read_import(api: ServiceApi, import_id: str) -> dict[str, Any]:
    rows = api.select("contact_imports", {"id": f"eq.{import_id}", "select": "*"})
    if not rows:
        raise HmError(f"no import {import_id}")
    return rows[0]


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    outcome: str
    reason: str | None


def preview(
    api: ServiceApi, import_id: str, mapping: dict[str, str], size: int
) -> list[PreviewRow]:
    """What importing the first `size` rows would do (the server runs it and rolls it back)."""
    answers = api.rpc(
        "preview_contact_import",
        {"p_import_id": import_id, "p_mapping": mapping, "p_limit": size},
    )
    return [PreviewRow(int(a["row_number"]), str(a["outcome"]), a.get("reason")) for a in answers]


def start(
    api: ServiceApi,
    import_id: str,
    mapping: dict[str, str],
    source: str,
    consent_proof: str | None,
) -> None:
    api.rpc(
        "start_contact_import",
        {
            "p_import_id": import_id,
            "p_mapping": mapping,
            "p_source": source,
            "p_consent_proof": consent_proof,
        },
    )


def run(
    api: ServiceApi,
    import_id: str,
    *,
    chunk_size: int = CHUNK_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Run chunks until nothing is pending (also resumes an import another runner left);
    `on_progress` gets the rows processed so far."""
    while True:
        pending = int(
            api.rpc("run_contact_import_chunk", {"p_import_id": import_id, "p_size": chunk_size})
        )
        if on_progress is not None:
            on_progress(int(read_import(api, import_id)["processed_rows"]))
        if pending == 0:
            return


@dataclass(frozen=True)
class RowResult:
    """The outcome for one data row (row_number 1 = the first row after the header)."""

    row_number: int
    status: str
    contact_id: str | None
    reason: str | None


def results(api: ServiceApi, import_id: str) -> list[RowResult]:
    rows: list[RowResult] = []
    while True:
        page = api.select(
            "contact_import_rows",
            {
                "import_id": f"eq.{import_id}",
                "select": "row_number,status,contact_id,reason",
                "order": "row_number",
                "offset": str(len(rows)),
                "limit": str(PAGE),
            },
        )
        rows.extend(
            RowResult(int(r["row_number"]), str(r["status"]), r.get("contact_id"), r.get("reason"))
            for r in page
        )
        if len(page) < PAGE:
            return rows


def counts(rows: Sequence[RowResult]) -> Counter[str]:
    return Counter(row.status for row in rows)
