"""Serving an object's bytes with the headers Storage sends (`src/storage/renderer/renderer.ts`)."""

from __future__ import annotations

import urllib.parse
from datetime import UTC
from email.utils import format_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from devstack.stack.storage.errors import no_such_key
from devstack.stack.storage.files import FileStore


def serve_object(
    request: Request, store: FileStore, row: dict[str, Any], expires: str | None = None
) -> Response:
    path = store.bytes_of(row["bucket_id"], row["version"])
    if path is None:
        raise no_such_key()  # a row without bytes, e.g. inserted directly in SQL
    metadata: dict[str, Any] = row.get("metadata") or {}
    etag = str(metadata.get("eTag") or "")
    headers = {
        "accept-ranges": "bytes",
        "last-modified": format_datetime(row["updated_at"].astimezone(UTC), usegmt=True),
    }
    if etag:
        headers["etag"] = etag
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
    if expires:
        headers["expires"] = expires
    else:
        headers["cache-control"] = str(metadata.get("cacheControl") or "no-cache")
    download = request.query_params.get("download")
    if download is not None:
        headers["content-disposition"] = _attachment(download)
    return FileResponse(path, headers=headers, media_type=_served_type(metadata))


def _served_type(metadata: dict[str, Any]) -> str:
    mimetype = str(metadata.get("mimetype") or "application/octet-stream")
    # Storage never serves HTML as HTML from the project's own origin.
    return "text/plain" if "text/html" in mimetype else mimetype


def _attachment(filename: str) -> str:
    if not filename:
        return "attachment;"
    encoded = urllib.parse.quote(filename, safe="")
    return f"attachment; filename={encoded}; filename*=UTF-8''{encoded};"
