"""The message channels a worker knows, built from its settings.

This is the one place a channel's adapter is wired in: a new channel (WhatsApp through Twilio,
push, …) is an adapter implementing `ports.Channel` plus an entry here; docs/extending.md lists
what the database needs besides."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta

import aiohttp

from hm.errors import HmError
from workers.mailersend_sender import MailerSendEmailSender
from workers.media import MediaStorage, ServiceEndpoints, SignedMediaSmsSender
from workers.ports import Channel, DeliveryOutbox
from workers.sending import EmailDelivery, SmsDelivery
from workers.settings import WorkerSettings
from workers.twilio_sender import TwilioSmsSender


def mailersend_sender(settings: WorkerSettings) -> MailerSendEmailSender:
    """The MailerSend adapter as these settings configure it (the caller closes it)."""
    return MailerSendEmailSender(
        settings.mailersend_api_key.get_secret_value(),
        settings.mailersend_base_url,
        settings.email_unsubscribe_url,
        settings.one_click_unsubscribe_url,
    )


def service_endpoints(settings: WorkerSettings) -> ServiceEndpoints:
    return ServiceEndpoints(
        settings.supabase_url, settings.supabase_service_role_key.get_secret_value()
    )


@contextlib.asynccontextmanager
async def open_channels(
    settings: WorkerSettings, outbox: DeliveryOutbox, http: aiohttp.ClientSession
) -> AsyncIterator[dict[str, Channel]]:
    """Every channel by its name in the database (`messages.channel`), open until the end."""
    email_sender = mailersend_sender(settings)
    twilio = TwilioSmsSender(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        http,
        settings.twilio_api_base_url,
        settings.worker_provider_timeout_seconds,
    )
    # Inbox replies attach images by their key in the private bucket: Twilio gets signed URLs.
    sms_sender = SignedMediaSmsSender(twilio, MediaStorage(http, service_endpoints(settings)))
    try:
        yield {
            "sms": SmsDelivery(
                outbox,
                sms_sender,
                settings.webhook_public_url,
                timedelta(seconds=settings.worker_provider_timeout_seconds),
            ),
            "email": EmailDelivery(outbox, email_sender),
        }
    finally:
        await email_sender.close()


def claimed_channels(names: str, known: Mapping[str, Channel]) -> dict[str, Channel]:
    """The channels WORKER_CHANNELS (comma-separated) names, in its order."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise HmError(
            f"WORKER_CHANNELS names unknown channels {', '.join(unknown)}; "
            f"this worker knows {', '.join(known)}"
        )
    return {name: known[name] for name in wanted}
