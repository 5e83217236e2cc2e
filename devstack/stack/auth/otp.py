"""Phone one-time codes: issue, rate-limit and check.

A code is `otp_length` random digits, stored only as GoTrue's hash sha224(phone || code) in
auth.one_time_tokens, valid `otp_expiry` seconds, and spent after `otp_max_attempts` wrong
guesses. Sends are limited per phone (one per `sms_max_frequency` seconds, `sms_max_per_hour`
an hour) and per client IP (`sms_max_per_ip_per_hour`), counted from auth.sms_sends rows.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets

from devstack.stack.auth.db import Connection, execute, fetch_one
from devstack.stack.auth.errors import sms_rate_limited
from devstack.stack.auth.settings import AuthSettings


def new_code(length: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(length))


def code_hash(phone: str, code: str) -> str:
    return hashlib.sha224((phone + code).encode()).hexdigest()


async def lock_phone(conn: Connection, phone: str) -> None:
    """Serialise code requests for one phone until the transaction ends (re-entrant), so
    concurrent requests neither double-create its user nor slip past the limits."""
    await execute(
        conn, "select pg_advisory_xact_lock(hashtextextended('hm-auth-sms:' || %s, 0))", [phone]
    )


async def check_send_limits(
    conn: Connection, settings: AuthSettings, phone: str, ip: str | None
) -> None:
    """Raise over_sms_send_rate_limit (429) when this send would exceed a limit."""
    await lock_phone(conn, phone)
    usage = await fetch_one(
        conn,
        """
        select
          extract(epoch from max(sent_at) filter (where phone = %(phone)s)
            + make_interval(secs => %(frequency)s) - now()) as frequency_wait,
          count(*) filter (where phone = %(phone)s) as phone_sends,
          extract(epoch from min(sent_at) filter (where phone = %(phone)s)
            + interval '1 hour' - now()) as phone_wait,
          count(*) filter (where ip = %(ip)s::inet) as ip_sends,
          extract(epoch from min(sent_at) filter (where ip = %(ip)s::inet)
            + interval '1 hour' - now()) as ip_wait
        from auth.sms_sends
        where (phone = %(phone)s or ip = %(ip)s::inet) and sent_at > now() - interval '1 hour'
        """,
        {"phone": phone, "ip": ip, "frequency": settings.sms_max_frequency},
    )
    assert usage is not None  # an aggregate always yields a row
    if usage["frequency_wait"] is not None and usage["frequency_wait"] > 0:
        raise sms_rate_limited(math.ceil(usage["frequency_wait"]))
    if usage["phone_sends"] >= settings.sms_max_per_hour:
        raise sms_rate_limited(math.ceil(usage["phone_wait"]))
    if ip is not None and usage["ip_sends"] >= settings.sms_max_per_ip_per_hour:
        raise sms_rate_limited(math.ceil(usage["ip_wait"]))


async def record_send(conn: Connection, phone: str, ip: str | None) -> int:
    row = await fetch_one(
        conn, "insert into auth.sms_sends (phone, ip) values (%s, %s) returning id", [phone, ip]
    )
    assert row is not None
    return int(row["id"])


async def store_code(
    conn: Connection, user_id: str, token_type: str, phone: str, code: str
) -> None:
    """The user's one outstanding code of this type (a new send replaces the previous one)."""
    await execute(
        conn,
        """
        insert into auth.one_time_tokens (user_id, token_type, token_hash, relates_to)
        values (%s, %s, %s, %s)
        on conflict (user_id, token_type) do update
        set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
            created_at = now(), updated_at = now(), failed_attempts = 0
        """,
        [user_id, token_type, code_hash(phone, code), phone],
    )


async def consume_code(
    conn: Connection, settings: AuthSettings, user_id: str, token_type: str, phone: str, code: str
) -> bool:
    """True (and the code is spent) when `code` is the user's valid code for `phone`. A wrong
    guess is counted; commit the transaction even when this returns False."""
    token = await fetch_one(
        conn,
        """
        select id, token_hash, failed_attempts,
               created_at + make_interval(secs => %s) < now() as expired
        from auth.one_time_tokens
        where user_id = %s and token_type = %s and relates_to = %s
        for update
        """,
        [settings.otp_expiry, user_id, token_type, phone],
    )
    if token is None or token["expired"] or token["failed_attempts"] >= settings.otp_max_attempts:
        return False
    if not hmac.compare_digest(token["token_hash"], code_hash(phone, code)):
        await execute(
            conn,
            "update auth.one_time_tokens set failed_attempts = failed_attempts + 1,"
            " updated_at = now() where id = %s",
            [token["id"]],
        )
        return False
    await execute(conn, "delete from auth.one_time_tokens where id = %s", [token["id"]])
    return True
