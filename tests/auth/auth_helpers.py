"""Small assertions and names shared by the Auth tests."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

# The capturing Send-SMS hook conftest.py installs (Supabase Auth names it in hook errors).
HOOK_URI = "pg-functions://postgres/auth_tests/capture_sms"


def present(value: T | None) -> T:
    """supabase-py types most answers as optional; a test that expects one says so."""
    assert value is not None
    return value
