"""Small assertions shared by the Auth tests."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None) -> T:
    """supabase-py types most answers as optional; a test that expects one says so."""
    assert value is not None
    return value
