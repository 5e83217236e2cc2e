"""The Send-SMS hook: a Postgres function Supabase Auth calls instead of an SMS provider.

As GoTrue does, the function runs as `supabase_auth_admin`, inside the transaction that stores
the code, with the event `{"user": <user JSON>, "sms": {"otp": "123456"}}`. It answers `{}` on
success or `{"error": {"http_code": 4xx|5xx, "message": "…"}}`; an error (or a failing function)
rolls the code back and reaches the client as an error. Without a hook configured, the code is
written to the stack log so a developer can still sign in.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from devstack.stack.auth.db import Connection, execute
from devstack.stack.auth.errors import AuthApiError
from devstack.stack.auth.settings import SmsHook

log = logging.getLogger("hm.auth")


async def send_sms(
    conn: Connection, hook: SmsHook | None, user: dict[str, Any], phone: str, code: str
) -> None:
    """Hand the code to the hook (or the log). Call inside the transaction storing the code."""
    if hook is None:
        log.warning("SMS code for +%s: %s (no Send-SMS hook configured)", phone, code)
        return
    event = {"user": user, "sms": {"otp": code}}
    call = sql.SQL("select {}.{}(%s)").format(
        sql.Identifier(hook.schema), sql.Identifier(hook.function)
    )
    await execute(conn, "set local role supabase_auth_admin")
    await execute(conn, "set local statement_timeout = '2s'")  # GoTrue's limit for hooks
    try:
        async with conn.cursor() as cursor:
            await cursor.execute(call, [Jsonb(event)])
            row = await cursor.fetchone()
    except psycopg.Error as error:
        log.error("Send-SMS hook %s.%s failed: %s", hook.schema, hook.function, error)
        raise AuthApiError(
            500, "unexpected_failure", f"Error running hook URI: {hook.schema}.{hook.function}"
        ) from error
    await execute(conn, "reset role")
    await execute(conn, "set local statement_timeout to default")
    _raise_hook_error(row[0] if row else None)


def _raise_hook_error(answer: object) -> None:
    if answer is None or answer == {}:
        return
    if not isinstance(answer, dict):
        raise AuthApiError(500, "unexpected_failure", "Send-SMS hook answered a non-object")
    error = answer.get("error")
    if error is None:
        return
    if not isinstance(error, dict):
        raise AuthApiError(500, "sms_send_failed", str(error))
    status = int(error.get("http_code") or 500)
    raise AuthApiError(status, "sms_send_failed", str(error.get("message") or "SMS not sent"))
