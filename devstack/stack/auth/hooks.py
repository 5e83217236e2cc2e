"""The Send-SMS hook: a Postgres function Supabase Auth calls instead of an SMS provider.

As Supabase Auth does (internal/hooks/hookspgfunc, v0hooks.SendSMSInput), the function is
called on Auth's own connection (as supabase_auth_admin), inside the transaction that stores
the code, with a 2-second statement timeout and the event

    {"metadata": {"uuid", "time", "name": "send-sms", "ip_address"},
     "user": <the user as /user answers it>, "sms": {"otp": "123456", "phone": "<destination>"}}

`sms.phone` is where the code goes: the number signing in, or the NEW number of a phone change
(the user's `phone` is then still the old one, and `new_phone` the new one). A Postgres function
hook gets no HTTP headers; the Standard Webhooks headers exist only for HTTP hooks, which the
local stand-in does not offer. The function answers `{}` on success or
`{"error": {"http_code": …, "message": …}}`; an error (or a failing function) rolls the code
back and reaches the client as Supabase Auth maps it (see `hook_error`). Without a hook
configured, the code is written to the stack log so a developer can still sign in.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from devstack.stack.auth.db import Connection, execute
from devstack.stack.auth.errors import AuthApiError
from devstack.stack.auth.settings import SmsHook

log = logging.getLogger("hm.auth")

HOOK_TIMEOUT_MS = 2000  # hookspgfunc's defaultTimeout


def send_sms_event(
    user: dict[str, Any], phone: str, code: str, ip_address: str | None
) -> dict[str, Any]:
    """The JSON Supabase Auth passes to the Send-SMS hook (fields and omissions as its Go
    structs marshal them: ip_address is left out when unknown)."""
    metadata: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "name": "send-sms",
    }
    if ip_address:
        metadata["ip_address"] = ip_address
    return {"metadata": metadata, "user": user, "sms": {"otp": code, "phone": phone}}


async def send_sms(
    conn: Connection,
    hook: SmsHook | None,
    user: dict[str, Any],
    phone: str,
    code: str,
    ip_address: str | None,
) -> None:
    """Hand the code for `phone` to the hook (or the log). Call inside the transaction storing
    the code, on a connection logged in as supabase_auth_admin."""
    if hook is None:
        log.warning("SMS code for +%s: %s (no Send-SMS hook configured)", phone, code)
        return
    call = sql.SQL("select {}.{}(%s)").format(
        sql.Identifier(hook.schema), sql.Identifier(hook.function)
    )
    await execute(conn, f"set local statement_timeout to '{HOOK_TIMEOUT_MS}'")
    try:
        async with conn.cursor() as cursor:
            await cursor.execute(call, [Jsonb(send_sms_event(user, phone, code, ip_address))])
            row = await cursor.fetchone()
    except psycopg.Error as error:
        log.error("Send-SMS hook %s failed: %s", hook.uri, error)
        raise AuthApiError(
            500, "unexpected_failure", f"Error running hook URI: {hook.uri}"
        ) from error
    await execute(conn, "set local statement_timeout to default")
    refusal = hook_error(row[0] if row else None)
    if refusal is not None:
        log.warning("Send-SMS hook %s refused: %s", hook.uri, refusal.message)
        raise refusal


def hook_error(answer: object) -> AuthApiError | None:
    """What Supabase Auth makes of a hook's answer (hookserrors.Check, then the API's error
    handler): an `error` with a message becomes that status (500 when http_code is absent) with
    error code `unknown` (`unexpected_failure` for 500); an `error` without a message is no
    error; an answer that is not a JSON object cannot be read into the hook's output."""
    if answer is None:
        return None
    if not isinstance(answer, dict):
        return AuthApiError(500, "unexpected_failure", "Error unmarshaling JSON output.")
    error = answer.get("error")
    if not isinstance(error, dict) or not error.get("message"):
        return None
    status = error.get("http_code")
    status = status if isinstance(status, int) and status > 0 else 500
    return AuthApiError(
        status, "unexpected_failure" if status == 500 else "unknown", str(error["message"])
    )
