"""Supabase connection settings shared by every component.

Each part of the system (workers, print agent, CLI) reads the same variables a hosted Supabase
project provides, so switching from the local stack to a hosted project is only a change of
environment.
"""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SupabaseSettings(BaseSettings):
    """Where the Supabase project is and which keys to use."""

    model_config = SettingsConfigDict(env_prefix="SUPABASE_", env_file=".env", extra="ignore")

    url: str = "http://127.0.0.1:54321"
    anon_key: SecretStr = SecretStr("")
    service_role_key: SecretStr = SecretStr("")
    jwt_secret: SecretStr = SecretStr("")
    db_url: SecretStr = SecretStr("")
