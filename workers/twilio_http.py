"""The twilio SDK's async HTTP contract on a shared aiohttp session, optionally aimed at another
base URL.

aiohttp, as in the SDK's own AsyncTwilioHttpClient (twilio already depends on it), because a
worker makes one request per text: with dozens in flight, httpx's connection pool spent most of
a busy worker's CPU re-checking every pooled connection on each request (measured with py-spy).
Ours differs from the SDK's in two ways: no retries (whether a failed request may be repeated
is the sender's decision: ambiguous sends), and the SDK's absolute `https://api.twilio.com/...`
URLs can be rewritten to the simulator's origin, so the same SDK calls run against either."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from twilio.http import AsyncHttpClient
from twilio.http.response import Response

log = logging.getLogger(__name__)


def form_pairs(values: dict[str, object] | None) -> list[tuple[str, str]] | None:
    """The SDK's parameters as form/query pairs: a list repeats its key (MediaUrl), booleans are
    "true"/"false" as Twilio expects (what httpx and requests did for the SDK before)."""
    if values is None:
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(item).lower() if isinstance(item, bool) else str(item)))
    return pairs


class AiohttpTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    def __init__(self, session: aiohttp.ClientSession, base_url: str = "", timeout: float = 10.0):
        super().__init__(log, True, timeout)
        self.session = session
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
        if auth is not None:
            headers = {**(headers or {}), "Authorization": aiohttp.encode_basic_auth(*auth)}
        async with self.session.request(
            method,
            self._rewrite(uri),
            params=form_pairs(params),
            data=form_pairs(data),
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
            allow_redirects=allow_redirects,
        ) as response:
            return Response(response.status, await response.text(), response.headers)
