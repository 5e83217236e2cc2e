"""`/rest/v1/*` → PostgREST, byte for byte: status, headers, errors and CORS are PostgREST's."""

from __future__ import annotations

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from devstack.stack.api_keys import ApiKeyCheck

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
        upstream_request = self.client.build_request(
            request.method,
            httpx.URL(
                self.upstream + "/" + request.path_params["path"], query=request.url.query.encode()
            ),
            headers=headers,
            content=request.stream(),
        )
        upstream = await self.client.send(upstream_request, stream=True)
        response = StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            background=BackgroundTask(upstream.aclose),
        )
        response.raw_headers = [
            (name.lower(), value)
            for name, value in upstream.headers.raw
            if name.decode().lower() not in HOP_BY_HOP
        ]
        return response

    async def aclose(self) -> None:
        await self.client.aclose()
