"""The agent's configuration, from the environment (or the systemd unit's env file).

The agent holds only the anon key and its own device login: never the service role key."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from hm.settings import SupabaseSettings

# Where the systemd unit (deploy/systemd/hm-pi-agent.service) reads the agent's environment,
# and where `hm pi pair` writes the station's login.
AGENT_ENV_FILE = Path("/etc/hello-miami/pi-agent.env")


class AgentSettings(SupabaseSettings):
    """Everything `hm pi run` needs (SUPABASE_URL and SUPABASE_ANON_KEY from
    `SupabaseSettings`); names match docs/pi.md and deploy/systemd."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    device_email: str = Field("", alias="HM_DEVICE_EMAIL")
    device_password: SecretStr = Field(SecretStr(""), alias="HM_DEVICE_PASSWORD")
    # A socket path or host[:port]; empty = the system default (CUPS_SERVER, then localhost).
    cups_server: str = Field("", alias="HM_CUPS_SERVER")
    # Empty = the device row's cups_queue, else "Label".
    cups_queue: str = Field("", alias="HM_CUPS_QUEUE")
    poll_seconds: float = Field(3.0, gt=0, alias="HM_POLL_SECONDS")
    heartbeat_seconds: float = Field(15.0, gt=0, alias="HM_HEARTBEAT_SECONDS")
    # A printer that is paused or refusing jobs is retried this many claims, then the job fails.
    max_attempts: int = Field(3, ge=1, alias="HM_PRINT_MAX_ATTEMPTS")
    retry_seconds: float = Field(5.0, ge=0, alias="HM_PRINT_RETRY_SECONDS")
    # How long a job handed to CUPS may take before it is cancelled and reported failed.
    job_timeout_seconds: float = Field(60.0, gt=0, alias="HM_PRINT_JOB_TIMEOUT_SECONDS")
    # Realtime is only a hint: use polling only (the benchmark's comparison) when false.
    realtime: bool = Field(True, alias="HM_PI_REALTIME")
