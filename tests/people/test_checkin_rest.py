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

from hm.people import devices, staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseSettings


@pytest.fixture
def service_api(supabase_env: dict[str, str]) -> ServiceApi:
    settings = SupabaseSettings(
        url=supabase_env["SUPABASE_URL"],
        service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    return ServiceApi(settings)


def signed_in(make_client: Callable[..., Client], email: str, password: str) -> Client:
    client = make_client()
    client.auth.sign_in_with_password({"email": email, "password": password})
    return client


def call(client: Client, function: str, params: dict[str, Any] | None = None) -> Any:
    """An RPC's JSON result (typed loosely: each function returns its own shape)."""
    return client.rpc(function, params or {}).execute().data


def test_door_check_in_prints_once_and_the_device_prints_it(
    make_client: Callable[..., Client],
    service_api: ServiceApi,
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    unique = uuid.uuid4().hex[:8]
    with service_api:
        volunteer = staff.add_staff(service_api, f"door-{unique}@hellomiami.local", "volunteer")
        station = devices.add_device(service_api, f"door-{unique}", "Lab", "Label")
    event_id = db.execute(
        "insert into public.events (slug, name, starts_at, ends_at, published, default_device_id) "
        "values (%s, 'REST night', now(), now() + interval '2 hours', true, %s) returning id",
        (f"rest-{unique}", station.device_id),
    ).fetchone()
    assert event_id is not None
    phone = f"+1786{int(unique, 16) % 10_000_000:07d}"

    door = signed_in(make_client, volunteer.member.email, volunteer.password)
    with pytest.raises(APIError) as refused:
        call(door, "check_in", {"p_event_id": str(event_id[0]), "p_phone": phone})
    assert refused.value.message == "unknown_attendee"

    first: dict[str, Any] = call(
        door,
        "check_in",
        {
            "p_event_id": str(event_id[0]),
            "p_phone": phone,
            "p_registration": {"first_name": "Rita", "pronouns": "she/her"},
        },
    )
    assert first["code"] == "checked_in"
    assert first["registered"] is True
    again: dict[str, Any] = call(
        door, "check_in", {"p_event_id": str(event_id[0]), "p_phone": phone}
    )
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
