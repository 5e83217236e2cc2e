"""The slice of MailerSend's v1 API the mailersend SDK uses: single send, bulk send, bulk status."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.simulators.callbacks import WebhookSender
from devstack.simulators.responses import mailersend_error
from devstack.simulators.state import (
    BulkRecord,
    EmailRecord,
    FaultKind,
    SimulatorState,
    now_utc,
    over_rate,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _state(request: Request) -> SimulatorState:
    state: SimulatorState = request.app.state.sim
    return state


def _object_id() -> str:
    """MailerSend ids look like MongoDB object ids: 24 hex characters."""
    return secrets.token_hex(12)


def _authorised(request: Request, state: SimulatorState) -> bool:
    return request.headers.get("authorization") == f"Bearer {state.config.mailersend_api_key}"


def validate_email(email: Any, prefix: str = "") -> dict[str, list[str]]:
    """MailerSend's 422 `errors` map for one email object (empty when valid)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(email, dict):
        return {prefix.rstrip(".") or "body": ["The email must be an object."]}
    sender = email.get("from")
    if not isinstance(sender, dict) or not _EMAIL.match(str(sender.get("email", ""))):
        errors[f"{prefix}from.email"] = ["The from.email must be a valid email address."]
    recipients = email.get("to")
    if not isinstance(recipients, list) or not recipients:
        errors[f"{prefix}to"] = ["The to field is required."]
    else:
        for index, recipient in enumerate(recipients):
            address = recipient.get("email", "") if isinstance(recipient, dict) else ""
            if not _EMAIL.match(str(address)):
                key = f"{prefix}to.{index}.email"
                errors[key] = [f"The {key} must be a valid email address."]
    if not email.get("template_id"):
        if not email.get("subject"):
            errors[f"{prefix}subject"] = ["The subject field is required when no template_id."]
        if not email.get("text") and not email.get("html"):
            errors[f"{prefix}text"] = ["The text field is required when no html or template_id."]
    return errors


def _rate_headers(limit: int | None, remaining: int) -> dict[str, str]:
    return {"x-ratelimit-limit": str(limit or 60), "x-ratelimit-remaining": str(remaining)}


def _rate_limited(state: SimulatorState) -> JSONResponse:
    response = mailersend_error(429, "Too Many Attempts.")
    response.headers["retry-after"] = str(state.config.email_retry_after_seconds)
    response.headers.update(_rate_headers(state.config.email_bulk_requests_per_minute, 0))
    return response


def _record(state: SimulatorState, email: dict[str, Any], bulk_id: str | None) -> EmailRecord:
    record = EmailRecord(
        message_id=_object_id(),
        to=[str(recipient["email"]) for recipient in email["to"]],
        from_email=str(email["from"]["email"]),
        subject=str(email.get("subject", "")),
        text=email.get("text"),
        html=email.get("html"),
        headers=list(email.get("headers") or []),
        personalization=list(email.get("personalization") or []),
        tags=list(email.get("tags") or []),
        bulk_email_id=bulk_id,
        created_at=now_utc(),
    )
    state.emails[record.message_id] = record
    return record


async def send_email(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return mailersend_error(401, "Unauthenticated.")
    try:
        email = json.loads(await request.body())
    except ValueError:
        return mailersend_error(400, "The request body is not valid JSON.")
    errors = validate_email(email)
    if errors:
        return mailersend_error(422, next(iter(errors.values()))[0], errors)
    first = email["to"][0]["email"]
    fault = state.take_fault("mailersend", first)
    if fault and fault.kind is FaultKind.RATE_LIMITED:
        return _rate_limited(state)
    record = _record(state, email, None)
    request.app.state.tasks.spawn(_deliver(state, request.app.state.webhooks, record))
    if fault and fault.kind is FaultKind.SERVER_ERROR:
        return mailersend_error(500, "Server Error")
    return Response(status_code=202, headers={"x-message-id": record.message_id})


async def send_bulk(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return mailersend_error(401, "Unauthenticated.")
    try:
        emails = json.loads(await request.body())
    except ValueError:
        return mailersend_error(400, "The request body is not valid JSON.")
    if not isinstance(emails, list) or not emails or len(emails) > 500:
        return mailersend_error(422, "The body must be a list of 1 to 500 emails.")
    fault = state.take_fault("mailersend", None)
    limit = state.config.email_bulk_requests_per_minute
    if (fault and fault.kind is FaultKind.RATE_LIMITED) or over_rate(
        state.bulk_request_times, limit, 60.0
    ):
        return _rate_limited(state)
    bulk = BulkRecord(bulk_email_id=_object_id(), created_at=now_utc())
    state.bulks[bulk.bulk_email_id] = bulk
    request.app.state.tasks.spawn(_process_bulk(state, request.app.state.webhooks, bulk, emails))
    remaining = (limit - len(state.bulk_request_times)) if limit else 59
    return JSONResponse(
        {"message": "The bulk email is being processed.", "bulk_email_id": bulk.bulk_email_id},
        status_code=202,
        headers=_rate_headers(limit, remaining),
    )


async def _process_bulk(
    state: SimulatorState, webhooks: WebhookSender, bulk: BulkRecord, emails: list[Any]
) -> None:
    """Asynchronous like the real one: validated and queued a moment after the 202."""
    await asyncio.sleep(state.config.email_latency)
    bulk.state = "processing"
    for index, email in enumerate(emails):
        errors = validate_email(email, f"{index}.")
        if errors:
            bulk.validation_errors.update(errors)
            continue
        record = _record(state, email, bulk.bulk_email_id)
        bulk.messages_id.append(record.message_id)
        asyncio.get_running_loop().create_task(_deliver(state, webhooks, record))
    bulk.state = "completed"


async def _deliver(state: SimulatorState, webhooks: WebhookSender, record: EmailRecord) -> None:
    await asyncio.sleep(state.config.email_latency)
    record.status = "sent"
    await email_webhook(state, webhooks, record, "sent")
    bounced = any(address in state.config.email_hard_bounce for address in record.to)
    record.status = "hard_bounced" if bounced else "delivered"
    await email_webhook(state, webhooks, record, record.status)


def engagement_morph(event: str, moment: str, url: str | None) -> dict[str, Any] | None:
    """What MailerSend puts in `data.morph` for an open or a click (`*_unique` alike): the
    open or click object, a click with the link's URL; other events carry none here."""
    if event in ("opened", "opened_unique"):
        return {"object": "open", "id": _object_id(), "created_at": moment, "ip": "127.0.0.1"}
    if event in ("clicked", "clicked_unique"):
        return {
            "object": "click",
            "id": _object_id(),
            "created_at": moment,
            "ip": "127.0.0.1",
            "url": url or "https://hellomiami.org/",
        }
    return None


async def email_webhook(
    state: SimulatorState,
    webhooks: WebhookSender,
    record: EmailRecord,
    event: str,
    clicked_url: str | None = None,
) -> None:
    """One `activity.<event>` webhook per recipient, shaped like MailerSend's (`clicked_url`:
    the link a simulated click followed)."""
    url = state.config.mailersend_webhook_url
    if not url or not state.config.send_email_webhooks:
        return
    moment = now_utc().isoformat()
    for address in record.to:
        payload = {
            "type": f"activity.{event}",
            "domain_id": "simulated-domain",
            "created_at": moment,
            "webhook_id": "simulated-webhook",
            "url": url,
            "data": {
                "object": "activity",
                "id": _object_id(),
                "type": event,
                "created_at": moment,
                "email": {
                    "object": "email",
                    "id": _object_id(),
                    "created_at": record.created_at.isoformat(),
                    "from": record.from_email,
                    "subject": record.subject,
                    "status": record.status,
                    "tags": record.tags or None,
                    "message": {
                        "object": "message",
                        "id": record.message_id,
                        "created_at": record.created_at.isoformat(),
                    },
                    "recipient": {
                        "object": "recipient",
                        "id": _object_id(),
                        "email": address,
                        "created_at": record.created_at.isoformat(),
                    },
                },
                "morph": engagement_morph(event, moment, clicked_url),
                "template_id": "",
            },
        }
        await webhooks.post_mailersend(url, payload)


async def bulk_status(request: Request) -> Response:
    state = _state(request)
    if not _authorised(request, state):
        return mailersend_error(401, "Unauthenticated.")
    bulk = state.bulks.get(request.path_params["bulk_id"])
    if bulk is None:
        return mailersend_error(404, "Resource not found.")
    return JSONResponse({"data": bulk.to_api()})


routes = [
    Route("/v1/email", send_email, methods=["POST"]),
    Route("/v1/bulk-email", send_bulk, methods=["POST"]),
    Route("/v1/bulk-email/{bulk_id}", bulk_status, methods=["GET"]),
]
