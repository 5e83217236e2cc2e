"""`POST /object/list/{bucket}`: one folder level, folders as entries with a null id.

The rows come from the database already filtered by RLS; this module shapes them as Storage's
`storage.search()` does: names relative to the prefix, a sub-folder once per name, sorted by
name (case-insensitive, byte order) or by a timestamp with folders first, then offset and limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devstack.stack.storage.errors import bad_request

SORT_COLUMNS = ("name", "updated_at", "created_at", "last_accessed_at")
MAX_LIMIT = 1500


@dataclass(frozen=True)
class ListRequest:
    prefix: str
    limit: int = 100
    offset: int = 0
    search: str = ""
    sort_column: str = "name"
    descending: bool = False

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> ListRequest:
        prefix = body.get("prefix")
        if not isinstance(prefix, str):
            raise bad_request("body must have required property 'prefix'")
        limit = body.get("limit", 100)
        offset = body.get("offset", 0)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise bad_request("body/limit must be >= 1")
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise bad_request("body/offset must be >= 0")
        sort_by = body.get("sortBy") or {}
        if not isinstance(sort_by, dict):
            raise bad_request("body/sortBy must be object")
        column = sort_by.get("column", "name")
        order = sort_by.get("order", "asc")
        if column not in SORT_COLUMNS:
            raise bad_request("body/sortBy/column must be equal to one of the allowed values")
        if order not in ("asc", "desc"):
            raise bad_request("body/sortBy/order must be equal to one of the allowed values")
        search = body.get("search") or ""
        if not isinstance(search, str):
            raise bad_request("body/search must be string")
        if prefix and not prefix.endswith("/"):
            prefix += "/"  # Storage treats the prefix as a folder
        return cls(
            prefix=prefix,
            limit=min(limit, MAX_LIMIT),
            offset=offset,
            search=search,
            sort_column=column,
            descending=order == "desc",
        )


def folder_level(rows: list[dict[str, Any]], request: ListRequest) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = []
    folders: dict[str, dict[str, Any]] = {}
    for row in rows:
        relative = row["name"][len(request.prefix) :]
        folder, separator, _ = relative.partition("/")
        if separator:
            folders.setdefault(
                folder,
                {
                    "name": folder,
                    "id": None,
                    "updated_at": None,
                    "created_at": None,
                    "last_accessed_at": None,
                    "metadata": None,
                },
            )
        else:
            files.append({**row, "name": relative})
    folder_entries = sorted(
        folders.values(), key=lambda entry: _name_key(entry, True), reverse=request.descending
    )
    if request.sort_column == "name":
        entries = sorted(
            [*folder_entries, *files],
            key=lambda entry: _name_key(entry, entry["id"] is None),
            reverse=request.descending,
        )
    else:
        entries = folder_entries + _by_timestamp(files, request.sort_column, request.descending)
    return entries[request.offset : request.offset + request.limit]


def _name_key(entry: dict[str, Any], is_folder: bool) -> bytes:
    # Storage compares lower(full name) COLLATE "C"; a folder sorts where its first child does.
    name = str(entry["name"]).lower() + ("/" if is_folder else "")
    return name.encode()


def _by_timestamp(
    files: list[dict[str, Any]], column: str, descending: bool
) -> list[dict[str, Any]]:
    # Postgres puts NULLs last when ascending and first when descending; ties keep name order.
    ordered = sorted(files, key=lambda entry: _name_key(entry, False))
    present = [entry for entry in ordered if entry[column] is not None]
    missing = [entry for entry in ordered if entry[column] is None]
    present.sort(key=lambda entry: entry[column], reverse=descending)
    return missing + present if descending else present + missing
