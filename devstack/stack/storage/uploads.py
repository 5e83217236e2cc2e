"""Reading an upload the way Storage does: multipart (a file part plus `cacheControl`,
`contentType`, `metadata` fields) or a raw body with `Content-Type`, `Cache-Control` and a
base64 JSON `x-metadata` header; then the bucket's MIME rules."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from devstack.stack.storage.errors import entity_too_large, invalid_mime_type, no_content
from devstack.stack.storage.files import FileStore, StagedFile

_CHUNK = 256 * 1024
MAX_USER_METADATA_BYTES = 1024 * 1024
# Room for the non-file parts of a multipart upload (user metadata may take 1 MiB) and framing.
MULTIPART_FIELDS_ALLOWANCE = MAX_USER_METADATA_BYTES + 64 * 1024
EMPTY_FOLDER_PLACEHOLDER = ".emptyFolderPlaceholder"


@dataclass(frozen=True)
class IncomingFile:
    staged: StagedFile
    mimetype: str
    cache_control: str
    user_metadata: Any


async def receive_file(request: Request, store: FileStore, size_limit: int) -> IncomingFile:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return await _receive_multipart(request, store, size_limit)
    staged = await store.stage(request.stream(), size_limit)
    return IncomingFile(
        staged=staged,
        mimetype=content_type or "application/octet-stream",
        cache_control=request.headers.get("cache-control", "no-cache"),
        user_metadata=_decode_header_metadata(request.headers.get("x-metadata")),
    )


async def _receive_multipart(request: Request, store: FileStore, size_limit: int) -> IncomingFile:
    # The form parser spools the whole body before the file's size is known; a body that cannot
    # fit under the limit even with the largest allowed fields is refused before it is read.
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > size_limit + MULTIPART_FIELDS_ALLOWANCE:
        raise entity_too_large()
    async with request.form(max_files=1, max_fields=10) as form:
        upload = next((value for value in form.values() if isinstance(value, UploadFile)), None)
        if upload is None:
            raise no_content()
        cache_time = _field(form.get("cacheControl"))
        user_metadata_text = _field(form.get("metadata")) or _field(form.get("userMetadata"))
        if user_metadata_text and len(user_metadata_text.encode()) > MAX_USER_METADATA_BYTES:
            raise entity_too_large()
        mimetype = (
            _field(form.get("contentType")) or upload.content_type or "application/octet-stream"
        )
        staged = await store.stage(_read_chunks(upload), size_limit)
    return IncomingFile(
        staged=staged,
        mimetype=mimetype,
        cache_control=f"max-age={cache_time}" if cache_time else "no-cache",
        user_metadata=_parse_json(user_metadata_text),
    )


async def _read_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(_CHUNK):
        yield chunk


def _field(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _parse_json(text: str | None) -> Any:
    # Storage ignores user metadata it cannot parse rather than failing the upload.
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _decode_header_metadata(value: str | None) -> Any:
    if not value:
        return None
    try:
        return _parse_json(base64.b64decode(value).decode())
    except (binascii.Error, UnicodeDecodeError):
        return None


def is_empty_folder_placeholder(name: str) -> bool:
    return name.endswith(EMPTY_FOLDER_PLACEHOLDER)


def check_mime_type(mimetype: str, allowed: list[str]) -> None:
    """Storage's rule: `type/subtype` must equal an allowed entry, or match `type/*`.

    Parameters such as `;charset=UTF-8` are not part of the type being compared."""
    essence = mimetype.split(";", 1)[0].strip().lower()
    kind, slash, subtype = essence.partition("/")
    if not slash or not kind or not subtype:
        raise invalid_mime_type(mimetype)
    for entry in allowed:
        allowed_kind, _, allowed_subtype = entry.split(";", 1)[0].strip().lower().partition("/")
        if allowed_kind == kind and allowed_subtype in ("*", subtype):
            return
    raise invalid_mime_type(mimetype)
