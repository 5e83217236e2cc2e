"""The API-key check hosted Supabase's gateway applies before a request reaches a service."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse


class ApiKeyCheck:
    """Accepts the project's anon and service_role keys, from the `apikey` header or query."""

    def __init__(self, anon_key: str, service_role_key: str) -> None:
        self.valid_keys = {anon_key, service_role_key}

    def refusal(self, connection: HTTPConnection) -> JSONResponse | None:
        """The gateway's 401 answer, or None when the key is valid."""
        key = connection.headers.get("apikey") or connection.query_params.get("apikey")
        if not key:
            return JSONResponse(
                {
                    "message": "No API key found in request",
                    "hint": "No `apikey` request header or url param was found.",
                },
                status_code=401,
            )
        if key not in self.valid_keys:
            return JSONResponse(
                {
                    "message": "Invalid API key",
                    "hint": "Double check your Supabase `anon` or `service_role` API key.",
                },
                status_code=401,
            )
        return None
