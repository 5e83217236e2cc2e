"""`hm stack up` refuses a local database made by an older platform layer, naming what differs
from hosted: each check is false on today's platform and turns true when that one respect is
undone (inside a transaction that is rolled back; the session's stack is shared)."""

from __future__ import annotations

import psycopg
import pytest

from devstack.stack.manager import LocalStack
from devstack.stack.postgres import OUTDATED_PLATFORM_CHECKS, SUPERUSER, OutdatedPlatformCheck

# What an older platform layer left behind, one statement per check, in the checks' order.
OLDER_PLATFORM = (
    "alter role postgres superuser",
    "alter table auth.mfa_factors rename to mfa_factors_before",
    "alter table storage.objects owner to postgres",
)


def test_there_is_one_older_state_per_check() -> None:
    assert len(OLDER_PLATFORM) == len(OUTDATED_PLATFORM_CHECKS)


@pytest.mark.parametrize(
    ("check", "undo"),
    list(zip(OUTDATED_PLATFORM_CHECKS, OLDER_PLATFORM, strict=True)),
    ids=[check.what.split(" (")[0] for check in OUTDATED_PLATFORM_CHECKS],
)
def test_a_check_tells_todays_platform_from_an_older_one(
    stack: LocalStack, check: OutdatedPlatformCheck, undo: str
) -> None:
    query = check.query
    with psycopg.connect(stack.config.db_url(SUPERUSER)) as conn:
        assert conn.execute(query).fetchone() == (False,)
        conn.execute(undo)
        assert conn.execute(query).fetchone() == (True,)
        conn.rollback()
