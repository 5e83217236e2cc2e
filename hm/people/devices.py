"""Print stations: each Pi signs in as its own auth user, tied to a `devices` row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hm.errors import HmError
from hm.people.service_api import ServiceApi, new_password

DEVICE_EMAIL_DOMAIN = "devices.hellomiami.local"


@dataclass(frozen=True)
class DeviceCredentials:
    device_id: str
    name: str
    email: str
    password: str


def device_email(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise HmError(f"device name {name!r} needs letters or digits")
    return f"device-{slug}@{DEVICE_EMAIL_DOMAIN}"


def add_device(
    api: ServiceApi, name: str, venue: str | None = None, cups_queue: str | None = None
) -> DeviceCredentials:
    """Create the device's login and its devices row; the password is shown only once."""
    password = new_password()
    user = api.create_auth_user(device_email(name), password, {"device_name": name})
    try:
        row = api.insert(
            "devices",
            {"user_id": user.id, "name": name, "venue": venue, "cups_queue": cups_queue},
        )
    except HmError:
        api.delete_auth_user(user.id)
        raise
    return DeviceCredentials(str(row["id"]), name, user.email, password)


def list_devices(api: ServiceApi) -> list[dict[str, object]]:
    return api.select(
        "devices",
        {
            "select": "id,name,venue,cups_queue,last_seen_at,printer_state,disabled_at",
            "order": "name",
        },
    )
