"""Contact export to CSV through the SQL function `export_contacts` (paged: PostgREST caps
every response at its max-rows)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from hm.people.service_api import ServiceApi

COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "pronouns",
    "company",
    "title",
    "tags",
    "birthday",
    "time_zone",
    "source",
    "custom_fields",
    "created_at",
)
PAGE_SIZE = 1000


def exported_rows(
    api: ServiceApi, definition: dict[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = api.rpc(
            "export_contacts",
            {"p_definition": definition},
            query={"order": "created_at,id", "limit": str(PAGE_SIZE), "offset": str(offset)},
        )
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "tags":
        return ";".join(value)
    if column == "custom_fields":
        return json.dumps(value, sort_keys=True) if value else ""
    return str(value)


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write rows with a header; returns how many data rows were written."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(column, row.get(column)) for column in COLUMNS])
        count += 1
    return count
