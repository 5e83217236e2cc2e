"""The staff shell in Chromium: protected routes, sign-in errors, role-aware navigation,
Spanish, sign-out, a non-staff account, and the grouped navigation on a 360 px phone (by
keyboard) and a desk."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun, StaffLogin


def test_staff_sign_in_navigation_and_protected_routes(
    supabase_env: dict[str, str],
    run_browser: Callable[..., BrowserRun],
    make_staff: Callable[..., StaffLogin],
) -> None:
    unique = uuid.uuid4().hex[:8]
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        volunteer = staff.add_staff(api, f"web-volunteer-{unique}@hellomiami.local", "volunteer")
        outsider_password = f"pw-{uuid.uuid4().hex}"
        api.create_auth_user(f"web-outsider-{unique}@example.com", outsider_password, None)

    organizer = make_staff("organizer")

    run = run_browser(
        "staff_shell",
        **organizer.browser_env("ORGANIZER"),
        STAFF_EMAIL=volunteer.member.email,
        STAFF_PASSWORD=volunteer.password,
        OUTSIDER_EMAIL=f"web-outsider-{unique}@example.com",
        OUTSIDER_PASSWORD=outsider_password,
    )

    assert run.result["redirected_to"] == "/sign-in?next=%2Fstaff"
    assert run.result["navigation"] == ["Console"]
    # An organizer's groups on a phone: the dashboard in Overview, no Admin group for them.
    assert run.result["phone"] == {
        "groups": ["Overview", "Door", "People", "Messaging"],
        "overflows": False,
        "expanded": "true",
        "focused": "Contacts",
        "current": "page",
    }
    assert run.result["sidebar"] == [
        "Dashboard",
        "Events",
        "Console",
        "Contacts",
        "Segments",
        "Import",
        "Duplicates",
        "Inbox",
        "Automations",
        "Compliance",
        "Blasts",
        "Templates",
    ]
    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "sign-in",
        "sign-in-wrong-password",
        "console",
        "console-spanish",
        "not-staff",
        "not-found",
        "phone-console",
        "phone-menu-open",
        "desk-sidebar",
    ]
