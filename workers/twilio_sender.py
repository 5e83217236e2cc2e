"""SmsSender on the official twilio SDK (real Twilio, or the simulator via TWILIO_API_BASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.rest.api.v2010.account.message import MessageInstance

from workers.ports import (
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
    SentLookup,
)
from workers.twilio_http import AiohttpTwilioClient


class TwilioSmsSender:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        http: aiohttp.ClientSession,
        base_url: str = "",
        timeout: float = 10.0,
    ) -> None:
        self.client = Client(
            account_sid, auth_token, http_client=AiohttpTwilioClient(http, base_url, timeout)
        )

    async def send(self, message: OutboundMessage, status_callback: str) -> tuple[str, str]:
        sender = (
            {"messaging_service_sid": message.messaging_service_sid}
            if message.messaging_service_sid
            else {"from_": message.from_address}
        )
        try:
            created = await self.client.messages.create_async(
                to=message.to_address,
                body=message.body,
                media_url=list(message.media_urls) or None,
                status_callback=status_callback,
                validity_period=message.validity_period_seconds,
                **sender,
            )
        except TwilioRestException as error:
            if error.status == 429 or error.code == 20429:
                raise ProviderThrottled(None, str(error.msg)) from error
            if error.status in (401, 403):
                # Our credentials, not the message: never processed, so retry once fixed.
                raise ProviderThrottled(
                    60.0, f"Twilio refused our credentials: {error.msg}"
                ) from error
            if error.status >= 500:
                raise ProviderAmbiguous(f"Twilio {error.status}: {error.msg}") from error
            raise ProviderRejected(str(error.code or error.status), str(error.msg)) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            # The request may have reached Twilio: a timeout or a dropped answer proves nothing.
            raise ProviderAmbiguous(f"{type(error).__name__}: {error}") from error
        return str(created.sid), str(created.status)

    async def find_sent(self, lookup: SentLookup) -> list[str]:
        # No date filter in the query: Twilio's DateSent is empty while a text waits in its
        # queue, which is exactly the text we are looking for. Newest first, filtered by our
        # number, a bounded page reaches back far enough; the window is checked here.
        sender = {} if lookup.messaging_service_sid else {"from_": lookup.from_number}
        since = lookup.since.replace(microsecond=0)  # Twilio's dates have whole seconds
        candidates = await self.client.messages.list_async(to=lookup.to, limit=200, **sender)
        found = [
            candidate
            for candidate in candidates
            if candidate.body == lookup.body
            and str(candidate.direction or "").startswith("outbound")
            and candidate.date_created is not None
            and since <= candidate.date_created <= lookup.until
            and (
                lookup.messaging_service_sid is None
                or candidate.messaging_service_sid == lookup.messaging_service_sid
            )
        ]
        return [str(candidate.sid) for candidate in sorted(found, key=_created)]


def _created(candidate: MessageInstance) -> datetime:
    return candidate.date_created or datetime.min.replace(tzinfo=UTC)
