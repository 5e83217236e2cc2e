"""Who is calling: the verified claims of the request's JWT, as Storage reads them.

Storage takes the bearer token from `Authorization`; like the Supabase CLI's gateway, the local
one falls back to the `apikey` header when a client sends no `Authorization` at all.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from devstack.stack.storage.errors import access_denied
from devstack.stack.storage.tokens import TokenRejected, verify

_BEARER = re.compile(r"^Bearer\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Caller:
    role: str
    claims: dict[str, Any]

    @property
    def owner_id(self) -> str | None:
        sub = self.claims.get("sub")
        return str(sub) if sub else None

    @property
    def owner(self) -> uuid.UUID | None:
        """`storage.objects.owner` is a uuid; a non-uuid subject is kept in `owner_id` only."""
        try:
            return uuid.UUID(self.owner_id) if self.owner_id else None
        except ValueError:
            return None


def caller_from_request(request: Request, secret: str) -> Caller:
    authorization = request.headers.get("authorization")
    if authorization is not None:
        token = _BEARER.sub("", authorization)
    else:
        token = request.headers.get("apikey", "")
    try:
        claims = verify(token, secret)
    except TokenRejected as error:
        raise access_denied(error.message) from error
    return Caller(role=str(claims.get("role") or "anon"), claims=claims)
