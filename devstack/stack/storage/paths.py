"""Which bucket names and object keys Storage accepts.

Supabase Storage allows S3-safe characters (`src/storage/limits.ts`); the local service is stricter
about structure because keys never reach a path on disk unchecked: no empty segments (so no
leading, trailing or doubled `/`), no `.` or `..` segments, and the length limits of S3 keys
(1024 bytes) and of file names (255 bytes per segment).
"""

from __future__ import annotations

import re

from devstack.stack.storage.errors import invalid_bucket_name, invalid_key

MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 255
MAX_BUCKET_NAME_LENGTH = 100
# Storage's S3-safe set; `\w` is Unicode-aware here, as Storage allows Unicode names since 2025.
_KEY_CHARACTERS = re.compile(r"[\w/!\-.*'() &$@=;:+,?]+")
_BUCKET_CHARACTERS = re.compile(r"[\w!\-.*'() &$@=;:+,?]+")
_DOT_SEGMENTS = {".", ".."}


def is_valid_key(key: str) -> bool:
    if not key or len(key.encode()) > MAX_KEY_BYTES or not _KEY_CHARACTERS.fullmatch(key):
        return False
    return all(
        segment and segment not in _DOT_SEGMENTS and len(segment.encode()) <= MAX_SEGMENT_BYTES
        for segment in key.split("/")
    )


def is_valid_bucket_name(name: str) -> bool:
    return (
        0 < len(name) <= MAX_BUCKET_NAME_LENGTH
        and name not in _DOT_SEGMENTS
        and _BUCKET_CHARACTERS.fullmatch(name) is not None
    )


def must_be_valid_key(key: str) -> str:
    if not is_valid_key(key):
        raise invalid_key(key)
    return key


def must_be_valid_bucket_name(name: str) -> str:
    if not is_valid_bucket_name(name):
        raise invalid_bucket_name()
    return name
