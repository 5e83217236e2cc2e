"""Deliver webhooks to our server signed exactly as Twilio and MailerSend sign them."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

from devstack.simulators.state import CallbackRecord, SimulatorState, now_utc

log = logging.getLogger(__name__)


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 (auth token) of the URL plus sorted parameters."""
    signature: str = RequestValidator(auth_token).compute_signature(url, params)
    return signature


def mailersend_signature(secret: str, body: bytes) -> str:
    """MailerSend's `Signature` header: hex HMAC-SHA256 of the raw body with the signing secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """Posts signed webhooks and records each attempt (tests read them from `/_sim/callbacks`)."""

    def __init__(
        self, state: SimulatorState, client: httpx.AsyncClient, max_in_flight: int = 32
    ) -> None:
        self.state = state
        self.client = client
        # Callbacks wait here, not in httpx's pool: its queue is scanned against every
        # connection on each change, so hundreds queued there (a slow webhook server under a
        # blast) cost the simulator most of its CPU and made it time out its own API calls.
        self.in_flight = asyncio.Semaphore(max_in_flight)

    async def post_twilio(self, url: str, params: dict[str, str]) -> httpx.Response | None:
        signature = twilio_signature(self.state.config.twilio_auth_token, url, params)
        return await self._post(
            "twilio",
            url,
            params,
            content=None,
            data=params,
            headers={"X-Twilio-Signature": signature},
        )

    async def post_mailersend(self, url: str, payload: dict[str, Any]) -> httpx.Response | None:
        body = json.dumps(payload).encode()
        signature = mailersend_signature(self.state.config.mailersend_webhook_secret, body)
        return await self._post(
            "mailersend",
            url,
            payload,
            content=body,
            data=None,
            headers={"Signature": signature, "Content-Type": "application/json"},
        )

    async def _post(
        self,
        provider: str,
        url: str,
        params: dict[str, Any],
        *,
        content: bytes | None,
        data: dict[str, str] | None,
        headers: dict[str, str],
    ) -> httpx.Response | None:
        signed = headers.get("X-Twilio-Signature") or headers.get("Signature", "")
        try:
            async with self.in_flight:
                response = await self.client.post(url, content=content, data=data, headers=headers)
        except httpx.HTTPError as error:
            log.warning("webhook to %s failed: %s", url, error)
            self.state.callbacks.append(
                CallbackRecord(provider, url, params, None, repr(error), now_utc(), signed)
            )
            return None
        self.state.callbacks.append(
            CallbackRecord(
                provider, url, params, response.status_code, response.text, now_utc(), signed
            )
        )
        return response
