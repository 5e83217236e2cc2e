"""The slice of Twilio's Programmable Messaging REST API (2010-04-01) the twilio SDK uses."""

from __future__ import annotations

import asyncio
import base64
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.simulators.callbacks import WebhookSender
from devstack.simulators.responses import DroppedResponse, twilio_error
from devstack.simulators.segments import count_segments
from devstack.simulators.state import (
    FaultKind,
    SimulatorState,
    SmsRecord,
    new_sid,
    now_utc,
    over_rate,
)

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_BASE = "/2010-04-01/Accounts/{account_sid}/Messages"


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _authorised(request: Request, state: SimulatorState) -> bool:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return False
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return False
    config = state.config
    return (
        user == config.twilio_account_sid
        and password == config.twilio_auth_token
        and request.path_params["account_sid"] == config.twilio_account_sid
    )


def _unauthorised() -> JSONResponse:
    return twilio_error(401, 20003, "Authenticate")


async def create_message(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return _unauthorised()
    form = await request.form()
    to = str(form.get("To") or "")
    from_ = str(form["From"]) if form.get("From") else None
    service = str(form["MessagingServiceSid"]) if form.get("MessagingServiceSid") else None
    body = str(form.get("Body") or "")
    media = [str(url) for url in form.getlist("MediaUrl")]
    if not to:
        return twilio_error(400, 21604, "A 'To' phone number is required.")
    if not from_ and not service:
        return twilio_error(400, 21603, "A 'From' phone number is required.")
    if not body and not media:
        return twilio_error(400, 21602, "Message body is required.")
    if not _E164.match(to):
        return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
    validity = form.get("ValidityPeriod")
    if validity is not None and not (str(validity).isdigit() and 1 <= int(str(validity)) <= 36000):
        return twilio_error(400, 21623, "ValidityPeriod must be between 1 and 36000 seconds.")
    fault = state.take_fault("twilio", to)
    limited = over_rate(state.sms_request_times, state.config.sms_max_requests_per_second, 1.0)
    if limited or (fault and fault.kind is FaultKind.RATE_LIMITED):
        return twilio_error(429, 20429, "Too Many Requests")
    if to in state.config.sms_unsubscribed:
        return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
    record = SmsRecord(
        sid=new_sid("SM"),
        account_sid=state.config.twilio_account_sid,
        to=to,
        from_=from_,
        messaging_service_sid=service,
        body=body,
        media_urls=media,
        status_callback=str(form["StatusCallback"]) if form.get("StatusCallback") else None,
        validity_period=int(str(validity)) if validity is not None else None,
        num_segments=count_segments(body) if body else 1,
        created_at=now_utc(),
        status="accepted" if service else "queued",
        fault=fault.kind.value if fault else None,
    )
    state.sms[record.sid] = record
    request.app.state.tasks.spawn(_deliver(state, request.app.state.webhooks, record))
    if fault and fault.kind is FaultKind.SERVER_ERROR:
        return twilio_error(500, 20500, "An internal server error has occurred")
    if fault and fault.kind is FaultKind.DROP:
        return DroppedResponse()  # type: ignore[return-value]
    if fault and fault.kind is FaultKind.TIMEOUT:
        await asyncio.sleep(fault.delay)
    return JSONResponse(record.to_api(), status_code=201)


async def _deliver(state: SimulatorState, webhooks: WebhookSender, record: SmsRecord) -> None:
    """Move the text through sent → final, calling its StatusCallback at each step."""
    config = state.config
    await asyncio.sleep(config.sms_sent_latency)
    record.status, record.sent_at = "sent", now_utc()
    record.updated_at = record.sent_at
    await _status_callback(state, webhooks, record)
    await asyncio.sleep(config.sms_final_latency)
    outcome = config.sms_outcomes.get(record.to, config.sms_default_outcome)
    record.status, record.error_code, record.updated_at = (
        outcome.status,
        outcome.error_code,
        now_utc(),
    )
    await _status_callback(state, webhooks, record)


async def _status_callback(
    state: SimulatorState, webhooks: WebhookSender, record: SmsRecord
) -> None:
    if not record.status_callback or not state.config.send_sms_callbacks:
        return
    await webhooks.post_twilio(record.status_callback, status_params(record))


def status_params(record: SmsRecord) -> dict[str, str]:
    """The form fields of a Twilio message status callback."""
    params = {
        "AccountSid": record.account_sid,
        "ApiVersion": "2010-04-01",
        "From": record.from_ or "",
        "To": record.to,
        "MessageSid": record.sid,
        "SmsSid": record.sid,
        "MessageStatus": record.status,
        "SmsStatus": record.status,
    }
    if record.messaging_service_sid:
        params["MessagingServiceSid"] = record.messaging_service_sid
    if record.error_code is not None:
        params["ErrorCode"] = str(record.error_code)
    return params


async def fetch_message(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return _unauthorised()
    record = state.sms.get(request.path_params["sid"])
    if record is None:
        return twilio_error(404, 20404, f"The requested resource {request.url.path} was not found")
    return JSONResponse(record.to_api())


def _parse_date(value: str) -> datetime:
    return datetime.fromisoformat(
        value.replace("Z", "+00:00") if "T" in value else value + "T00:00:00+00:00"
    )


def _matches(record: SmsRecord, query: dict[str, str]) -> bool:
    if "To" in query and record.to != query["To"]:
        return False
    if "From" in query and record.from_ != query["From"]:
        return False
    moment = record.sent_at or record.created_at
    if "DateSent" in query and moment.date() != _parse_date(query["DateSent"]).date():
        return False
    if "DateSent>" in query and moment < _parse_date(query["DateSent>"]):
        return False
    return not ("DateSent<" in query and moment > _parse_date(query["DateSent<"]))


async def list_messages(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return _unauthorised()
    query = dict(request.query_params)
    page_size = max(1, min(int(query.pop("PageSize", "50")), 1000))
    page = int(query.pop("Page", "0"))
    query.pop("PageToken", None)
    records = sorted(
        (record for record in state.sms.values() if _matches(record, query)),
        key=lambda record: record.created_at,
        reverse=True,
    )
    start = page * page_size
    chosen = records[start : start + page_size]
    path = request.url.path

    def page_uri(number: int) -> str:
        return f"{path}?{urlencode({**query, 'PageSize': page_size, 'Page': number})}"

    more = start + page_size < len(records)
    body: dict[str, Any] = {
        "messages": [record.to_api() for record in chosen],
        "end": start + max(len(chosen) - 1, 0),
        "first_page_uri": page_uri(0),
        "next_page_uri": page_uri(page + 1) + f"&PageToken=PASM{page + 1}" if more else None,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": page_uri(page - 1) if page > 0 else None,
        "start": start,
        "uri": page_uri(page),
    }
    return JSONResponse(body)


def media_url(base_url: str, account_sid: str, message_sid: str, media_sid: str) -> str:
    """Where Twilio says an inbound MMS's media is (MediaUrlN): its API, behind basic auth."""
    path = _BASE.format(account_sid=account_sid)
    return f"{base_url.rstrip('/')}{path}/{message_sid}/Media/{media_sid}"


async def fetch_media(request: Request) -> Response:
    """The media content, for the account's credentials only (Twilio's "HTTP Basic
    Authentication for media access" setting, which projects handling MMS should turn on)."""
    state = _state(request)
    if not _authorised(request, state):
        return _unauthorised()
    record = state.media.get(request.path_params["media_sid"])
    if record is None or record.message_sid != request.path_params["sid"]:
        return twilio_error(404, 20404, "The requested resource was not found")
    return Response(record.content, media_type=record.content_type)


routes = [
    Route(_BASE + "/{sid}/Media/{media_sid}", fetch_media, methods=["GET"]),
    Route(_BASE + ".json", create_message, methods=["POST"]),
    Route(_BASE + ".json", list_messages, methods=["GET"]),
    Route(_BASE + "/{sid}.json", fetch_message, methods=["GET"]),
]
