"""Upload size limits: the project's global limit and the units buckets may be given in."""

from __future__ import annotations

import re
import tomllib

from devstack.stack.config import SUPABASE_DIR
from devstack.stack.storage.errors import invalid_file_size_limit

# Hosted Supabase's default, and the Supabase CLI's when config.toml says nothing.
DEFAULT_FILE_SIZE_LIMIT = 50 * 1024 * 1024
_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(gib|mib|kib|gb|mb|kb|b)$", re.IGNORECASE)
# Storage's API reads decimal units; the CLI's config.toml uses binary ones (`50MiB`).
_UNITS = {
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}


def parse_file_size(value: str) -> int:
    match = _SIZE.match(value.strip())
    if not match:
        raise invalid_file_size_limit()
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def project_file_size_limit() -> int:
    """`[storage] file_size_limit` from supabase/config.toml, as the CLI applies it."""
    config_file = SUPABASE_DIR / "config.toml"
    if not config_file.exists():
        return DEFAULT_FILE_SIZE_LIMIT
    with config_file.open("rb") as handle:
        value = tomllib.load(handle).get("storage", {}).get("file_size_limit")
    if value is None:
        return DEFAULT_FILE_SIZE_LIMIT
    return value if isinstance(value, int) else parse_file_size(str(value))
