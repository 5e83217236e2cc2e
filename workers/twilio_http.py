"""An async HTTP client for the twilio SDK built on httpx, optionally aimed at another base URL.

The SDK builds absolute `https://api.twilio.com/...` URLs; locally we rewrite that origin to the
simulator's, so the same SDK calls run against either without any other change."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import httpx
from twilio.http import AsyncHttpClient
from twilio.http.response import Response

log = logging.getLogger(__name__)


class HttpxTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    """twilio's AsyncHttpClient contract on a shared httpx.AsyncClient, with no retries of its
    own: whether a failed request may be repeated is the sender's decision (ambiguous sends)."""

    def __init__(self, client: httpx.AsyncClient, base_url: str = "", timeout: float = 10.0):
        super().__init__(log, True, timeout)
        self.client = client
        self.base = urlsplit(base_url) if base_url else None

    def _rewrite(self, url: str) -> str:
        if self.base is None:
            return url
        parts = urlsplit(url)
        return urlunsplit(
            (
                self.base.scheme,
                self.base.netloc,
                self.base.path.rstrip("/") + parts.path,
                parts.query,
                parts.fragment,
            )
        )

    async def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (the SDK passes it by name)
        allow_redirects: bool = False,
    ) -> Response:
        response = await self.client.request(
            method,
            self._rewrite(uri),
            params=params,  # type: ignore[arg-type]
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout or self.timeout,
            follow_redirects=allow_redirects,
        )
        return Response(response.status_code, response.text, response.headers)
