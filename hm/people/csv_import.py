"""CSV import: map a file's columns to contact fields, preview, and send batches to the SQL
function `import_contacts`, which deduplicates by phone/email and answers per row."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hm.errors import HmError
from hm.people.phones import InvalidPhoneError, normalize_phone
from hm.people.service_api import ServiceApi

FIELDS = (
    "phone",
    "email",
    "first_name",
    "last_name",
    "pronouns",
    "company",
    "title",
    "tags",
    "time_zone",
    "birthday",
    "source",
)
CUSTOM_PREFIX = "custom:"
IGNORE = "-"
# Header spellings people use for our fields (compared after _header_key()).
ALIASES = {
    "mobile": "phone",
    "cell": "phone",
    "phone_number": "phone",
    "e_mail": "email",
    "email_address": "email",
    "first": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "last": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "organization": "company",
    "organisation": "company",
    "job_title": "title",
    "labels": "tags",
    "timezone": "time_zone",
    "date_of_birth": "birthday",
}


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """`["Phone=phone", "Shirt=custom:shirt", "Notes=-"]` → {csv header: target}."""
    mapping: dict[str, str] = {}
    for option in options:
        header, sep, target = option.partition("=")
        target = target.strip()
        if not sep or not header.strip() or not target:
            raise HmError(f"--map {option!r}: write it as 'CSV column=field'")
        if (
            target != IGNORE
            and target not in FIELDS
            and not (target.startswith(CUSTOM_PREFIX) and len(target) > len(CUSTOM_PREFIX))
        ):
            raise HmError(
                f"--map {option!r}: field must be one of {', '.join(FIELDS)}, "
                f"custom:<name> or '-' (ignore)"
            )
        mapping[header.strip()] = target
    return mapping


@dataclass(frozen=True)
class ColumnMapping:
    """Which CSV column feeds which contact field (or custom field)."""

    columns: dict[str, str]
    ignored: tuple[str, ...]

    @classmethod
    def build(cls, headers: Sequence[str], overrides: dict[str, str]) -> ColumnMapping:
        unknown = set(overrides) - set(headers)
        if unknown:
            raise HmError(
                f"--map names columns the file does not have: {', '.join(sorted(unknown))}"
            )
        columns: dict[str, str] = {}
        ignored: list[str] = []
        for header in headers:
            key = _header_key(header)
            target = overrides.get(header) or (key if key in FIELDS else ALIASES.get(key))
            if target is None or target == IGNORE:
                ignored.append(header)
            else:
                columns[header] = target
        targets = Counter(columns.values())
        doubled = [target for target, count in targets.items() if count > 1]
        if doubled:
            raise HmError(f"several columns map to {', '.join(sorted(doubled))}; use --map")
        if "phone" not in targets and "email" not in targets:
            raise HmError("no column maps to phone or email; use --map 'Column=phone'")
        return cls(columns, tuple(ignored))


@dataclass(frozen=True)
class CsvFile:
    headers: tuple[str, ...]
    rows: list[dict[str, str]]


def read_csv(path: Path) -> CsvFile:
    """Read a UTF-8 CSV (a spreadsheet's byte-order mark is fine) with a header row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            headers = tuple(reader.fieldnames or ())
            rows = [
                {key: value or "" for key, value in row.items() if key is not None}
                for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise HmError(f"cannot read {path}: {error}") from error
    if not headers:
        raise HmError(f"{path} has no header row")
    return CsvFile(headers, rows)


def prepare_row(raw: dict[str, str], mapping: ColumnMapping) -> dict[str, Any]:
    """One CSV row as the JSON object `import_contacts` takes (empty cells left out).

    Phones are normalised here with libphonenumber; one that cannot be parsed is sent as typed
    so the SQL function reports the row as an error in its per-row results."""
    row: dict[str, Any] = {}
    custom: dict[str, str] = {}
    for header, target in mapping.columns.items():
        value = (raw.get(header) or "").strip()
        if not value:
            continue
        if target.startswith(CUSTOM_PREFIX):
            custom[target.removeprefix(CUSTOM_PREFIX)] = value
        elif target == "phone":
            try:
                row["phone"] = normalize_phone(value)
            except InvalidPhoneError:
                row["phone"] = value
        else:
            row[target] = value
    if custom:
        row["custom_fields"] = custom
    return row


@dataclass(frozen=True)
class Preview:
    rows: list[dict[str, Any]]
    total: int
    with_phone: int
    with_email: int
    without_address: int
    unparsable_phones: int
    ignored_columns: tuple[str, ...]


def preview(prepared: Sequence[dict[str, Any]], mapping: ColumnMapping, size: int = 5) -> Preview:
    def phone_ok(row: dict[str, Any]) -> bool:
        return str(row.get("phone", "")).startswith("+")

    return Preview(
        rows=list(prepared[:size]),
        total=len(prepared),
        with_phone=sum(1 for row in prepared if "phone" in row),
        with_email=sum(1 for row in prepared if "email" in row),
        without_address=sum(1 for row in prepared if "phone" not in row and "email" not in row),
        unparsable_phones=sum(1 for row in prepared if "phone" in row and not phone_ok(row)),
        ignored_columns=mapping.ignored,
    )


@dataclass(frozen=True)
class RowResult:
    """The outcome for one data row (row_number 1 = the first row after the header)."""

    row_number: int
    status: str
    contact_id: str | None
    reason: str | None


@dataclass
class ImportReport:
    results: list[RowResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.status for result in self.results)

    @property
    def errors(self) -> list[RowResult]:
        return [result for result in self.results if result.status == "error"]


def batches(
    rows: Sequence[dict[str, Any]], size: int
) -> Iterator[tuple[int, Sequence[dict[str, Any]]]]:
    """(offset, rows) chunks of at most `size` rows."""
    if size < 1:
        raise HmError("batch size must be at least 1")
    for offset in range(0, len(rows), size):
        yield offset, rows[offset : offset + size]


def import_rows(
    api: ServiceApi,
    rows: Sequence[dict[str, Any]],
    *,
    batch_size: int = 500,
    update_existing: bool = True,
    source: str = "import",
    on_batch: Callable[[int], None] | None = None,
) -> ImportReport:
    """Send the rows in batches; each batch is one transaction, each row its own result."""
    report = ImportReport()
    for offset, batch in batches(rows, batch_size):
        answers = api.rpc(
            "import_contacts",
            {"p_rows": list(batch), "p_update_existing": update_existing, "p_source": source},
        )
        for answer in answers:
            report.results.append(
                RowResult(
                    row_number=offset + int(answer["row_number"]),
                    status=str(answer["status"]),
                    contact_id=answer.get("contact_id"),
                    reason=answer.get("reason"),
                )
            )
        if on_batch is not None:
            on_batch(len(batch))
    return report
