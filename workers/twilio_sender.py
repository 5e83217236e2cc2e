"""SmsSender on the official twilio SDK (real Twilio, or the simulator via TWILIO_API_BASE_URL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from workers.ports import OutboundMessage, ProviderAmbiguous, ProviderRejected, ProviderThrottled
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

    async def find_sent(self, to: str, body: str, since: datetime) -> str | None:
        # DateSent filters by day; Twilio lists newest first, so a bounded page is enough.
        candidates = await self.client.messages.list_async(
            to=to, date_sent_after=since - timedelta(minutes=1), limit=200
        )
        for candidate in candidates:
            if candidate.body == body and candidate.direction.startswith("outbound"):
                return str(candidate.sid)
        return None
