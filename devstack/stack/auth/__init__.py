"""Supabase Auth (`/auth/v1`) for the local stack: see `service.AuthService`."""

from __future__ import annotations

from devstack.stack.auth.service import AuthService

__all__ = ["AuthService"]
