"""An event with its own print station and a volunteer signed in at the door, made through the
same service APIs `hm staff add` and `hm devices add` use (for the check-in and print tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from supabase import Client

from hm.people import devices, staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings


@dataclass(frozen=True)
class StaffedDoor:
    event_id: str
    station: devices.DeviceCredentials
    volunteer: Client


def staff_a_door(
    supabase_env: dict[str, str],
    db: psycopg.Connection[tuple[Any, ...]],
    make_client: Callable[..., Client],
    name: str,
    cups_queue: str,
) -> StaffedDoor:
    unique = f"{name}-{uuid.uuid4().hex[:8]}"
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        volunteer = staff.add_staff(api, f"{unique}@hellomiami.local", "volunteer")
        station = devices.add_device(api, unique, "Lab", cups_queue)
    row = db.execute(
        "insert into public.events (slug, name, starts_at, ends_at, published, default_device_id) "
        "values (%s, %s, now(), now() + interval '2 hours', true, %s) returning id",
        (unique, f"{name} night", station.device_id),
    ).fetchone()
    assert row is not None
    client = make_client()
    client.auth.sign_in_with_password(
        {"email": volunteer.member.email, "password": volunteer.password}
    )
    return StaffedDoor(str(row[0]), station, client)
