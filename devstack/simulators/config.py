"""What the simulator pretends to be: credentials, webhook targets, outcomes and latencies."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SmsOutcome(BaseModel):
    """The final fate of a text to one number (or of every text, as the default)."""

    status: str = "delivered"
    error_code: int | None = None


class SimulatorConfig(BaseModel):
    """Adjustable at runtime through `POST /_sim/config` (fields given replace the current ones)."""

    twilio_account_sid: str = "AC00000000000000000000000000000000"
    twilio_auth_token: str = "simulator-auth-token"
    # Where the "reply as a contact" form posts inbound texts (our webhook server's public URL).
    twilio_inbound_url: str | None = None
    mailersend_api_key: str = "mlsn.simulator"
    mailersend_webhook_url: str | None = None
    mailersend_webhook_secret: str = "simulator-webhook-secret"
    # Seconds between accepting a text and its `sent` callback, and between `sent` and final.
    sms_sent_latency: float = 0.05
    sms_final_latency: float = 0.1
    sms_default_outcome: SmsOutcome = Field(default_factory=SmsOutcome)
    sms_outcomes: dict[str, SmsOutcome] = Field(default_factory=dict)
    # Numbers that replied STOP at Twilio's level: creating a text to them fails with 21610.
    sms_unsubscribed: list[str] = Field(default_factory=list)
    # Twilio answers 429/20429 above this many creates per second (None: unlimited).
    sms_max_requests_per_second: float | None = None
    send_sms_callbacks: bool = True
    email_latency: float = 0.05
    email_hard_bounce: list[str] = Field(default_factory=list)
    # MailerSend answers 429 above this many bulk requests per minute (None: unlimited).
    email_bulk_requests_per_minute: int | None = None
    email_retry_after_seconds: int = 1
    send_email_webhooks: bool = True
