"""The two Supabase APIs the operator commands use, with the service key: PostgREST RPC and
tables under `/rest/v1`, and GoTrue's admin users API under `/auth/v1/admin/users`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from hm.errors import HmError
from hm.settings import SupabaseServiceSettings


class ApiError(HmError):
    """A refusal from the API; `code` is the stable code our SQL functions raise (or HTTP's)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class AuthUser:
    id: str
    email: str


def new_password() -> str:
    """A one-time password to hand to a person or device once (24 URL-safe characters)."""
    return secrets.token_urlsafe(18)


class ServiceApi:
    """Service-role access to one Supabase project."""

    def __init__(self, settings: SupabaseServiceSettings, http: httpx.Client | None = None) -> None:
        key = settings.supabase_service_role_key.get_secret_value()
        if not key:
            raise HmError("SUPABASE_SERVICE_ROLE_KEY is not set")
        self._base = settings.supabase_url.rstrip("/")
        self._http = http or httpx.Client(timeout=60)
        self._headers = {"apikey": key, "Authorization": f"Bearer {key}"}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceApi:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def rpc(
        self, function: str, params: dict[str, Any], query: dict[str, str] | None = None
    ) -> Any:
        """Call a SQL function (`POST /rest/v1/rpc/<function>`) and return its JSON result.

        `query` takes PostgREST's limit/offset/order for set-returning functions."""
        response = self._http.post(
            f"{self._base}/rest/v1/rpc/{function}",
            json=params,
            params=query,
            headers=self._headers,
        )
        return _json_or_raise(response)

    def select(self, table: str, params: dict[str, str]) -> list[dict[str, Any]]:
        response = self._http.get(
            f"{self._base}/rest/v1/{table}", params=params, headers=self._headers
        )
        rows: list[dict[str, Any]] = _json_or_raise(response)
        return rows

    def insert(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        response = self._http.post(
            f"{self._base}/rest/v1/{table}",
            json=row,
            headers={**self._headers, "Prefer": "return=representation"},
        )
        rows: list[dict[str, Any]] = _json_or_raise(response)
        return rows[0]

    def create_auth_user(
        self, email: str, password: str, metadata: dict[str, Any] | None = None
    ) -> AuthUser:
        """Create a confirmed email/password login through GoTrue's admin API."""
        response = self._http.post(
            f"{self._base}/auth/v1/admin/users",
            json={
                "email": email,
                "password": password,
                "email_confirm": True,
                "user_metadata": metadata or {},
            },
            headers=self._headers,
        )
        body = _json_or_raise(response)
        return AuthUser(id=str(body["id"]), email=str(body["email"]))

    def delete_auth_user(self, user_id: str) -> None:
        response = self._http.delete(
            f"{self._base}/auth/v1/admin/users/{user_id}", headers=self._headers
        )
        _json_or_raise(response)


def _json_or_raise(response: httpx.Response) -> Any:
    if response.is_success:
        return response.json() if response.content else None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    # PostgREST: {code, message, details, hint}; GoTrue: {code|error_code, msg|message}.
    code = str(body.get("error_code") or body.get("message") or response.status_code)
    if body.get("code") == "P0001" and body.get("message"):
        code = str(body["message"])
    detail = body.get("details") or body.get("msg") or body.get("message") or response.text
    raise ApiError(code, f"{code}: {detail}" if detail and detail != code else code)
