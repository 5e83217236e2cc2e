"""Responses shared by both simulated APIs, including the ones that go wrong on purpose."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send


def twilio_error(status: int, code: int, message: str) -> JSONResponse:
    """Twilio's error body: {code, message, more_info, status}."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status_code=status)


def mailersend_error(
    status: int, message: str, errors: dict[str, list[str]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"message": message}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


class ConnectionDropped(Exception):
    """Raised after the response has started, so the server closes the socket mid-answer."""


class DroppedResponse:
    """Starts a response and breaks the connection: the caller never learns what happened."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"sid": ', "more_body": True})
        raise ConnectionDropped("simulated: response dropped after the message was accepted")
