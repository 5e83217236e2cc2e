"""The Supabase connection settings, defined once for every component.

Each part of the system reads the variables a hosted Supabase project provides (SUPABASE_URL,
SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_DB_URL), so switching from the local
stack to a hosted project is only a change of environment. Components extend these classes
with their own settings: the print agent `SupabaseSettings` (it signs in as its device and must
never hold the service role key), the workers and the operator commands
`SupabaseServiceSettings`.
"""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SupabaseSettings(BaseSettings):
    """Where the Supabase project is, and the public key every client starts from."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    supabase_url: str = "http://127.0.0.1:54321"
    supabase_anon_key: SecretStr = SecretStr("")


class SupabaseServiceSettings(SupabaseSettings):
    """The service role's access: RLS-bypassing REST calls and, optionally, the database."""

    supabase_service_role_key: SecretStr = SecretStr("")
    # A direct connection (the workers' "postgres" transport); empty when only REST is used.
    supabase_db_url: SecretStr = SecretStr("")
