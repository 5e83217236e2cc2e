"""`/rest/v1/*` → PostgREST, byte for byte: status, headers, errors and CORS are PostgREST's.

When the connection to PostgREST fails, the gateway does what hosted Supabase's (Kong) does:
it tries again where that cannot repeat a write, and otherwise answers 502 with Kong's JSON
message — never an empty 500 a client cannot tell from a database error.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from devstack.stack.api_keys import ApiKeyCheck

log = logging.getLogger("hm.gateway")

# Hop-by-hop headers (RFC 9110 §7.6.1) are the proxy's own business, not the upstream's.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
}
# Repeating one of these has the effect of sending it once (RFC 9110 §9.2.2), so a request
# whose connection broke may be sent again even if PostgREST had already run it.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures before a byte of the request left: safe to send again whatever the method.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)
UPSTREAM_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.05
# Kong's body for a failed upstream (what supabase-js and supabase-py then report).
BAD_GATEWAY = {"message": "An invalid response was received from the upstream server"}


class UpstreamResponse(StreamingResponse):
    """PostgREST's streamed answer; its connection goes back to the pool however sending it
    ends (a client that disconnects mid-body included)."""

    def __init__(self, upstream: httpx.Response) -> None:
        super().__init__(upstream.aiter_raw(), status_code=upstream.status_code)
        self.upstream = upstream
        self.raw_headers = [
            (name.lower(), value)
            for name, value in upstream.headers.raw
            if name.decode().lower() not in HOP_BY_HOP
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.upstream.aclose()


class RestProxy:
    def __init__(self, upstream: str, keys: ApiKeyCheck) -> None:
        self.upstream = upstream
        self.keys = keys
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(60.0), limits=httpx.Limits(max_connections=200)
        )

    async def handle(self, request: Request) -> Response:
        # PostgREST answers CORS preflight itself; the key check applies to real requests only.
        if request.method != "OPTIONS" and (refusal := self.keys.refusal(request)):
            return refusal
        headers = [
            (name, value)
            for name, value in request.headers.raw
            if name.decode().lower() not in HOP_BY_HOP
        ]
        if "authorization" not in request.headers and "apikey" in request.headers:
            # Supabase forwards the API key as the bearer token when the client sends none.
            headers.append((b"authorization", f"Bearer {request.headers['apikey']}".encode()))
        url = httpx.URL(
            self.upstream + "/" + request.path_params["path"], query=request.url.query.encode()
        )
        # Read whole (REST bodies are small) so that a retry can send the same bytes again.
        body = await request.body()
        upstream = await self._send(request.method, url, headers, body)
        if upstream is None:
            return JSONResponse(BAD_GATEWAY, status_code=502)
        return UpstreamResponse(upstream)

    async def _send(
        self, method: str, url: httpx.URL, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> httpx.Response | None:
        """PostgREST's response, or None when it could not be had (logged)."""
        attempt = 1
        while True:
            upstream_request = self.client.build_request(method, url, headers=headers, content=body)
            try:
                return await self.client.send(upstream_request, stream=True)
            except httpx.TransportError as error:
                again = attempt < UPSTREAM_ATTEMPTS and (
                    isinstance(error, NOT_SENT) or method in IDEMPOTENT_METHODS
                )
                log.warning(
                    "PostgREST %s %s failed (attempt %d, %s): %s: %s",
                    method,
                    url.path,
                    attempt,
                    "retrying" if again else "answering 502",
                    type(error).__name__,
                    error,
                )
                if not again:
                    return None
            await asyncio.sleep(RETRY_PAUSE_SECONDS * attempt)
            attempt += 1

    async def aclose(self) -> None:
        await self.client.aclose()
