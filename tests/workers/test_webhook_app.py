"""The webhook app's gatekeeping (signature, size, shape) with a recording store: nothing may be
stored unless the request is signed and well-formed. Property tests generate payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from tests.workers.fakes import RecordingStore
from workers.settings import WorkerSettings
from workers.webhooks.app import create_app

TOKEN = "test-auth-token"
SECRET = "test-webhook-secret"
PUBLIC = "https://hooks.example.org"
LIMIT = 4096


def client(store: RecordingStore) -> httpx.AsyncClient:
    app = create_app(
        store,
        twilio_auth_token=TOKEN,
        mailersend_secret=SECRET,
        public_url=PUBLIC,
        max_body_bytes=LIMIT,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://internal")


def signed(path: str, params: dict[str, str]) -> dict[str, str]:
    return {
        "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(PUBLIC + path, params),
        "Content-Type": "application/x-www-form-urlencoded",
    }


def inbound(body: str = "hello") -> dict[str, str]:
    return {
        "MessageSid": "SM" + "a" * 32,
        "From": "+13055550100",
        "To": "+13055550000",
        "Body": body,
    }


async def test_signed_inbound_is_stored_processed_and_answered_with_twiml() -> None:
    store = RecordingStore()
    params = inbound()
    async with client(store) as http:
        response = await http.post(
            "/twilio/inbound", content=urlencode(params), headers=signed("/twilio/inbound", params)
        )
    assert response.status_code == 200
    assert response.text.startswith("<?xml")
    assert [name for name, _ in store.calls] == ["store_event", "process_event"]


async def test_duplicate_inbound_is_not_processed_again() -> None:
    store = RecordingStore()
    params = inbound()
    async with client(store) as http:
        for _ in range(2):
            await http.post(
                "/twilio/inbound",
                content=urlencode(params),
                headers=signed("/twilio/inbound", params),
            )
    assert [name for name, _ in store.calls].count("process_event") == 1


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl"])
async def test_unsigned_or_forged_twilio_requests_are_refused(signature: str | None) -> None:
    store = RecordingStore()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    async with client(store) as http:
        response = await http.post("/twilio/inbound", content=urlencode(inbound()), headers=headers)
    assert response.status_code == 403
    assert store.calls == []


async def test_signature_over_another_url_is_refused() -> None:
    store = RecordingStore()
    params = inbound()
    async with client(store) as http:
        response = await http.post(
            "/twilio/inbound", content=urlencode(params), headers=signed("/twilio/status", params)
        )
    assert response.status_code == 403


async def test_status_callback_signature_covers_the_query_string() -> None:
    store = RecordingStore()
    params = {"MessageSid": "SM" + "b" * 32, "MessageStatus": "delivered"}
    good = signed("/twilio/status?message_id=m1", params)
    async with client(store) as http:
        ok = await http.post(
            "/twilio/status?message_id=m1", content=urlencode(params), headers=good
        )
        forged = await http.post(
            "/twilio/status?message_id=m2", content=urlencode(params), headers=good
        )
    assert (ok.status_code, forged.status_code) == (204, 403)


def mailersend_headers(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {
        "Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
        "Content-Type": "application/json",
    }


async def test_mailersend_signature_is_checked_over_the_raw_body() -> None:
    store = RecordingStore()
    body = json.dumps({"type": "activity.delivered", "data": {"id": "abc123"}}).encode()
    async with client(store) as http:
        ok = await http.post("/mailersend/events", content=body, headers=mailersend_headers(body))
        forged = await http.post(
            "/mailersend/events", content=body, headers=mailersend_headers(body, "other")
        )
    assert (ok.status_code, forged.status_code) == (200, 403)
    assert [name for name, _ in store.calls].count("store_event") == 1


async def test_oversized_bodies_are_refused_before_anything_else() -> None:
    store = RecordingStore()
    params = inbound("x" * (LIMIT + 1))
    async with client(store) as http:
        response = await http.post(
            "/twilio/inbound", content=urlencode(params), headers=signed("/twilio/inbound", params)
        )
    assert response.status_code == 413
    assert store.calls == []


async def test_openapi_lists_the_webhooks() -> None:
    async with client(RecordingStore()) as http:
        paths = (await http.get("/openapi.json")).json()["paths"]
    assert {"/twilio/inbound", "/twilio/status", "/mailersend/events"} <= set(paths)


texts = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(["MessageSid", "From", "To", "Body", "X"]), texts))
async def test_signed_twilio_payloads_are_stored_only_when_well_formed(
    params: dict[str, str],
) -> None:
    store = RecordingStore()
    async with client(store) as http:
        response = await http.post(
            "/twilio/inbound", content=urlencode(params), headers=signed("/twilio/inbound", params)
        )
    stored = [name for name, _ in store.calls].count("store_event")
    assert response.status_code in (200, 400)
    assert stored == (1 if response.status_code == 200 else 0)


@settings(max_examples=60, deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | texts,
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3)
        ),
        max_leaves=8,
    )
)
async def test_signed_mailersend_payloads_never_crash_the_server(payload: Any) -> None:
    store = RecordingStore()
    body = json.dumps(payload).encode()
    async with client(store) as http:
        response = await http.post(
            "/mailersend/events", content=body, headers=mailersend_headers(body)
        )
    assert response.status_code in (200, 400)


@settings(max_examples=20, deadline=None)
@given(size=st.integers(min_value=LIMIT + 1, max_value=LIMIT * 8))
async def test_any_body_over_the_limit_is_413(size: int) -> None:
    store = RecordingStore()
    body = b"a" * size
    async with client(store) as http:
        response = await http.post(
            "/mailersend/events", content=body, headers=mailersend_headers(body)
        )
    assert response.status_code == 413
    assert store.calls == []


def test_webhook_server_takes_the_postgres_transport_when_a_database_url_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OUTBOX_TRANSPORT", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env file here
    with_url = WorkerSettings(supabase_db_url=SecretStr("postgresql://db.example/postgres"))
    assert with_url.for_webhook_server().outbox_transport == "postgres"
    chosen = WorkerSettings(
        supabase_db_url=SecretStr("postgresql://db.example/postgres"), outbox_transport="rest"
    )
    assert chosen.for_webhook_server().outbox_transport == "rest"
    assert WorkerSettings(supabase_db_url=SecretStr("")).for_webhook_server().outbox_transport == (
        "rest"
    )
