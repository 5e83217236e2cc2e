"""Configuration of the workers and the webhook server, from the environment (or `.env`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from hm.settings import SupabaseServiceSettings


class WorkerSettings(SupabaseServiceSettings):
    """The same names a production deployment sets (docs/deploy.md); SUPABASE_* come from
    `SupabaseServiceSettings`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # How the worker and webhook server reach the SQL functions: "rest" (PostgREST RPC with the
    # service-role key) or "postgres" (a direct pool on SUPABASE_DB_URL; fewer hops, higher rates).
    outbox_transport: Literal["rest", "postgres"] = "rest"
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr = SecretStr("")
    # Empty: the real https://api.twilio.com. Set to the simulator's URL locally.
    twilio_api_base_url: str = ""
    mailersend_api_key: SecretStr = SecretStr("")
    mailersend_base_url: str = "https://api.mailersend.com/v1/"
    mailersend_webhook_secret: SecretStr = SecretStr("")
    # The base URL Twilio and MailerSend call (what signatures are computed over).
    webhook_public_url: str = "http://127.0.0.1:54350"
    # The web app's address: staff invitation emails link to its /set-password page, marketing
    # emails to its /unsubscribe preference page.
    app_public_url: str = "http://127.0.0.1:54360"
    # The preference page linked from every marketing email; {token} is the message's signed
    # token. Empty (the default): the web app's page, APP_PUBLIC_URL/unsubscribe?t={token}; set
    # it only to serve that page elsewhere. The List-Unsubscribe header points at this server's
    # POST /unsubscribe instead (one_click_unsubscribe_url).
    email_unsubscribe_url: str = ""
    worker_id: str = ""
    worker_channels: str = "sms,email"
    worker_batch_size: int = 50
    worker_lease_seconds: int = 30
    worker_poll_interval_seconds: float = 2.0
    worker_concurrency: int = 32
    worker_provider_timeout_seconds: float = 10.0
    # An ambiguous send is looked up at the provider only after its callback had this long.
    worker_ambiguous_after_seconds: int = 20
    worker_metrics_port: int = 0
    # How often the worker calls run_due_automations (one runner at a time in SQL); 0 = never
    # (when pg_cron calls it on hosted Supabase, docs/deploy.md).
    worker_automations_interval_seconds: float = Field(default=60.0, ge=0)
    # How often the worker calls fold_dashboard (one runner at a time in SQL); 0 = never (when
    # pg_cron calls it on hosted Supabase, docs/deploy.md). The dashboard is exact either way;
    # folding keeps the part it counts live small.
    worker_dashboard_fold_interval_seconds: float = Field(default=10.0, ge=0)
    # How often the worker and the webhook server record their heartbeat (stale after three
    # missed beats on the health page).
    worker_heartbeat_seconds: int = Field(default=15, ge=1, le=3600)
    # How often the worker looks for GDPR erasures to complete (workers/gdpr_erasure.py);
    # 0 = never (a test suite that files erase requests and completes them itself).
    worker_erasure_interval_seconds: float = Field(default=5.0, ge=0)
    # Tests and drills only: the claim sees the clock shifted by this much (quiet hours).
    worker_clock_offset_seconds: float = 0.0

    webhook_host: str = "127.0.0.1"
    webhook_port: int = 54350
    webhook_max_body_bytes: int = 64 * 1024
    # Server processes sharing the port (uvicorn workers): Python answers on one core per
    # process, so a host with spare cores answers bursts faster with more.
    webhook_processes: int = Field(default=1, ge=1, le=32)

    def for_webhook_server(self) -> WorkerSettings:
        """The webhook server takes the direct Postgres transport whenever SUPABASE_DB_URL is set
        and OUTBOX_TRANSPORT is not: under a burst of callbacks it batches stores and
        processing into single statements, which PostgREST RPC cannot."""
        if (
            "outbox_transport" in self.model_fields_set
            or not self.supabase_db_url.get_secret_value()
        ):
            return self
        return self.model_copy(update={"outbox_transport": "postgres"})

    @property
    def one_click_unsubscribe_url(self) -> str:
        """RFC 8058's target: the webhook server answers the one-click POST."""
        return f"{self.webhook_public_url.rstrip('/')}/unsubscribe?t={{token}}"

    @model_validator(mode="after")
    def _unsubscribe_link_carries_the_token(self) -> WorkerSettings:
        if not self.email_unsubscribe_url:
            app = self.app_public_url.rstrip("/")
            self.email_unsubscribe_url = f"{app}/unsubscribe?t={{token}}"
        if "{token}" not in self.email_unsubscribe_url:
            raise ValueError("EMAIL_UNSUBSCRIBE_URL must contain {token}")
        return self

    @model_validator(mode="after")
    def _lookups_wait_for_calls_to_end(self) -> WorkerSettings:
        # Looking an ambiguous send up while its provider call may still be in flight could
        # requeue a text Twilio is about to accept: the wait must outlast the call's timeout.
        if self.worker_ambiguous_after_seconds <= self.worker_provider_timeout_seconds:
            raise ValueError(
                "WORKER_AMBIGUOUS_AFTER_SECONDS must exceed WORKER_PROVIDER_TIMEOUT_SECONDS"
            )
        return self
