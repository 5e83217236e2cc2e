"""What every Storage handler reads from a request: path parameters, JSON bodies, numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request

from devstack.stack.storage.errors import bad_request
from devstack.stack.storage.files import FileStore
from devstack.stack.storage.paths import must_be_valid_bucket_name, must_be_valid_key


@dataclass(frozen=True)
class StorageDeps:
    pool: AsyncConnectionPool
    store: FileStore
    jwt_secret: str
    file_size_limit: int


def object_address(request: Request) -> tuple[str, str]:
    """The validated (bucket id, object name) of an `/object/…/{bucket}/{name}` route."""
    bucket_id = must_be_valid_bucket_name(request.path_params["bucket"])
    return bucket_id, must_be_valid_key(request.path_params["name"])


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as error:
        raise bad_request("Body is not valid JSON") from error
    if not isinstance(body, dict):
        raise bad_request("body must be object")
    return body


def required_string(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str):
        raise bad_request(f"body must have required property '{field}'")
    return value


def expires_in(body: dict[str, Any]) -> int:
    """`expiresIn` in seconds; supabase-py sends it as a string, which Storage coerces."""
    value = body.get("expiresIn")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad_request("body must have required property 'expiresIn'")
    if value < 1:
        raise bad_request("body/expiresIn must be >= 1")
    return value
