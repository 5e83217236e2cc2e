"""Door check-in and printing over the real APIs, as the SPA and the Pi agent call them:
password sign-in through Auth, then PostgREST RPC with the user's token (supabase-py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from postgrest.exceptions import APIError
from supabase import Client

from tests.staffed_door import staff_a_door


def signed_in(make_client: Callable[..., Client], email: str, password: str) -> Client:
    client = make_client()
    client.auth.sign_in_with_password({"email": email, "password": password})
    return client


def call(client: Client, function: str, params: dict[str, Any] | None = None) -> Any:
    """An RPC's JSON result (typed loosely: each function returns its own shape)."""
    return client.rpc(function, params or {}).execute().data


def test_door_check_in_prints_once_and_the_device_prints_it(
    make_client: Callable[..., Client],
    supabase_env: dict[str, str],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    staffed = staff_a_door(supabase_env, db, make_client, "rest", "Label")
    event_id, station, door = staffed.event_id, staffed.station, staffed.volunteer
    phone = f"+1786{uuid.uuid4().int % 10_000_000:07d}"

    with pytest.raises(APIError) as refused:
        call(door, "check_in", {"p_event_id": event_id, "p_phone": phone})
    assert refused.value.message == "unknown_attendee"

    first: dict[str, Any] = call(
        door,
        "check_in",
        {
            "p_event_id": event_id,
            "p_phone": phone,
            "p_registration": {"first_name": "Rita", "pronouns": "she/her"},
        },
    )
    assert first["code"] == "checked_in"
    assert first["registered"] is True
    again: dict[str, Any] = call(door, "check_in", {"p_event_id": event_id, "p_phone": phone})
    assert again["code"] == "already_checked_in"
    assert again["checked_in_at"] == first["checked_in_at"]

    pi = signed_in(make_client, station.email, station.password)
    jobs: list[dict[str, Any]] = call(pi, "claim_print_jobs", {"p_limit": 5})
    assert [job["id"] for job in jobs] == [first["print_job_id"]]
    assert jobs[0]["payload"]["display_name"] == "Rita"
    assert jobs[0]["payload"]["pronouns"] == "she/her"
    call(pi, "start_print_job", {"p_job_id": jobs[0]["id"]})
    call(
        pi,
        "finish_print_job",
        {"p_job_id": jobs[0]["id"], "p_outcome": "printed", "p_cups_job_id": 7},
    )
    visible = pi.table("print_jobs").select("status,cups_job_id").execute().data
    assert visible == [{"status": "printed", "cups_job_id": 7}]
    assert call(pi, "claim_print_jobs", {}) == []

    with pytest.raises(APIError) as not_device:
        call(door, "claim_print_jobs")
    assert not_device.value.message == "not_allowed"
