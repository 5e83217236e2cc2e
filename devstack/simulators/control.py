"""`/_sim/*`: what tests and people use to inspect the simulator and make things go wrong."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.simulators.config import SimulatorConfig
from devstack.simulators.mailersend_api import email_webhook
from devstack.simulators.state import Fault, FaultKind, MediaRecord, SimulatorState, new_sid
from devstack.simulators.twilio_api import media_url, status_params

# Twilio's default opt-out handling: these bodies set OptOutType and block or unblock the sender.
_TWILIO_OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
_TWILIO_OPT_IN = {"START", "YES", "UNSTOP"}
_TWILIO_HELP = {"HELP", "INFO"}


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _jsonable(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = dataclasses.asdict(record)
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    return data


async def list_sms(request: Request) -> Response:
    records = [{**record.to_api(), **_jsonable(record)} for record in _state(request).sms.values()]
    return JSONResponse(records)


async def list_emails(request: Request) -> Response:
    return JSONResponse([_jsonable(record) for record in _state(request).emails.values()])


async def list_bulks(request: Request) -> Response:
    return JSONResponse([bulk.to_api() for bulk in _state(request).bulks.values()])


async def list_callbacks(request: Request) -> Response:
    return JSONResponse([_jsonable(record) for record in _state(request).callbacks])


async def list_inbound(request: Request) -> Response:
    return JSONResponse(_state(request).inbound)


async def get_config(request: Request) -> Response:
    return JSONResponse(_state(request).config.model_dump())


async def update_config(request: Request) -> Response:
    state = _state(request)
    changes = await request.json()
    state.config = SimulatorConfig.model_validate({**state.config.model_dump(), **changes})
    return JSONResponse(state.config.model_dump())


async def add_fault(request: Request) -> Response:
    body = await request.json()
    try:
        fault = Fault(
            provider=str(body["provider"]),
            kind=FaultKind(body["kind"]),
            count=int(body.get("count", 1)),
            to=body.get("to"),
            delay=float(body.get("delay", 30.0)),
        )
    except (KeyError, ValueError) as error:
        return JSONResponse({"error": f"bad fault: {error}"}, status_code=400)
    if fault.provider not in ("twilio", "mailersend"):
        return JSONResponse({"error": "provider must be twilio or mailersend"}, status_code=400)
    _state(request).faults.append(fault)
    return JSONResponse(dataclasses.asdict(fault), status_code=201)


async def reset(request: Request) -> Response:
    _state(request).reset()
    return JSONResponse({"reset": True})


async def push_sms_status(request: Request) -> Response:
    """Send a status callback for a text now (e.g. a late or out-of-order `sent`)."""
    state = _state(request)
    record = state.sms.get(request.path_params["sid"])
    if record is None or not record.status_callback:
        return JSONResponse({"error": "no such text with a StatusCallback"}, status_code=404)
    body = await request.json()
    params = {**status_params(record), "MessageStatus": body["status"], "SmsStatus": body["status"]}
    if body.get("error_code") is not None:
        params["ErrorCode"] = str(body["error_code"])
    response = await request.app.state.webhooks.post_twilio(record.status_callback, params)
    return JSONResponse({"status_code": response.status_code if response else None})


async def push_email_event(request: Request) -> Response:
    """Send a MailerSend webhook for an email now (e.g. `spam_complaint`, `unsubscribed`,
    `opened`, `clicked` with an optional `url`)."""
    state = _state(request)
    record = state.emails.get(request.path_params["message_id"])
    if record is None:
        return JSONResponse({"error": "no such email"}, status_code=404)
    body = await request.json()
    clicked_url = str(body["url"]) if body.get("url") else None
    await email_webhook(state, request.app.state.webhooks, record, str(body["type"]), clicked_url)
    return JSONResponse({"sent": body["type"]})


def attachment(item: dict[str, Any]) -> tuple[str, bytes]:
    """A file a simulated contact attaches: `{"content_type", "data_base64"}`."""
    return str(item.get("content_type", "image/jpeg")), base64.b64decode(str(item["data_base64"]))


async def inbound_sms(
    state: SimulatorState, request: Request, body: dict[str, Any]
) -> dict[str, Any]:
    """Text our number as a contact: a signed inbound webhook, as Twilio would post it. `media`
    attaches files the simulator then serves at Twilio-style media URLs behind basic auth;
    `media_urls` passes URLs through as they are."""
    url = state.config.twilio_inbound_url
    if not url:
        return {"error": "twilio_inbound_url is not configured"}
    sender, text = str(body["from"]), str(body.get("body", ""))
    attachments = [attachment(item) for item in body.get("media", [])]
    sid = new_sid("SM" if not (attachments or body.get("media_urls")) else "MM")
    media = [str(item) for item in body.get("media_urls", [])]
    media_types = ["image/jpeg"] * len(media)
    for content_type, content in attachments:
        media_sid = new_sid("ME")
        state.media[media_sid] = MediaRecord(sid, content_type, content)
        base = str(request.base_url)
        media.append(media_url(base, state.config.twilio_account_sid, sid, media_sid))
        media_types.append(content_type)
    params = {
        "AccountSid": state.config.twilio_account_sid,
        "ApiVersion": "2010-04-01",
        "Body": text,
        "From": sender,
        "To": str(body["to"]),
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "SmsStatus": "received",
        "NumMedia": str(len(media)),
        "NumSegments": "1",
    }
    for index, (location, content_type) in enumerate(zip(media, media_types, strict=True)):
        params[f"MediaUrl{index}"] = location
        params[f"MediaContentType{index}"] = content_type
    keyword = text.strip().upper()
    if keyword in _TWILIO_OPT_OUT:
        params["OptOutType"] = "STOP"
        if sender not in state.config.sms_unsubscribed:
            state.config.sms_unsubscribed.append(sender)
    elif keyword in _TWILIO_OPT_IN:
        params["OptOutType"] = "START"
        if sender in state.config.sms_unsubscribed:
            state.config.sms_unsubscribed.remove(sender)
    elif keyword in _TWILIO_HELP:
        params["OptOutType"] = "HELP"
    response = await request.app.state.webhooks.post_twilio(url, params)
    entry = {
        "sid": sid,
        "from": sender,
        "to": params["To"],
        "body": text,
        "media_urls": media,
        "status_code": response.status_code if response else None,
        "reply": response.text if response else None,
    }
    state.inbound.append(entry)
    return entry


async def post_inbound_sms(request: Request) -> Response:
    entry = await inbound_sms(_state(request), request, await request.json())
    return JSONResponse(entry, status_code=400 if "error" in entry else 200)


routes = [
    Route("/_sim/sms", list_sms, methods=["GET"]),
    Route("/_sim/sms/{sid}/status", push_sms_status, methods=["POST"]),
    Route("/_sim/emails", list_emails, methods=["GET"]),
    Route("/_sim/emails/{message_id}/event", push_email_event, methods=["POST"]),
    Route("/_sim/bulks", list_bulks, methods=["GET"]),
    Route("/_sim/callbacks", list_callbacks, methods=["GET"]),
    Route("/_sim/inbound", list_inbound, methods=["GET"]),
    Route("/_sim/inbound", post_inbound_sms, methods=["POST"]),
    Route("/_sim/config", get_config, methods=["GET"]),
    Route("/_sim/config", update_config, methods=["POST"]),
    Route("/_sim/faults", add_fault, methods=["POST"]),
    Route("/_sim/reset", reset, methods=["POST"]),
]
