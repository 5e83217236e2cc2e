"""Flow 2 end to end in Chromium: a volunteer at /door/<slug> with a fake camera showing an
attendee's QR code (checked in, the repeat scan), a reprint printed by the real cupsd, an unknown
code, a lookup, a check-in queued offline and sent when the network returns, and a walk-in with an
SMS opt-in — the second half in Spanish. Then an organizer's print queue: a tag stuck on a station
that never answered moves to the door's own station and prints there; and the event page's door
team, where the organizer removes the volunteer and adds them back."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

from hm.people import devices, staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.polling import wait_for
from tests.web.conftest import BrowserRun, Venue


def service_api(supabase_env: dict[str, str]) -> ServiceApi:
    return ServiceApi(
        SupabaseServiceSettings(
            supabase_url=supabase_env["SUPABASE_URL"],
            supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
        )
    )


def add_volunteer(
    supabase_env: dict[str, str], level: str = "volunteer", display_name: str | None = None
) -> staff.NewStaff:
    with service_api(supabase_env) as api:
        return staff.add_staff(
            api, f"door-{uuid.uuid4().hex[:8]}@hellomiami.local", level, display_name
        )


def stuck_tag(
    db: psycopg.Connection[tuple[Any, ...]], supabase_env: dict[str, str], event_id: str, name: str
) -> tuple[str, str]:
    """A tag queued two minutes ago on a second station of the event that never answered.
    Returns the job's id and the name the queue shows (the tag's display name)."""
    with service_api(supabase_env) as api:
        station_name = f"door-silent-{uuid.uuid4().hex[:6]}"
        silent = devices.add_device(api, station_name, "Back room", "Label")
    db.execute(
        "insert into public.event_print_stations (event_id, device_id) values (%s, %s)",
        (event_id, silent.device_id),
    )
    contact_id, _ = add_attendee(db, "Dana", name)
    row = db.execute(
        "insert into public.print_jobs (event_id, contact_id, device_id, payload, created_at)"
        " select e.id, c.id, %s, private.label_payload(c, e), now() - interval '2 minutes'"
        "   from public.events e, public.contacts c where e.id = %s and c.id = %s"
        " returning id, payload ->> 'display_name'",
        (silent.device_id, event_id, contact_id),
    ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def add_attendee(db: psycopg.Connection[tuple[Any, ...]], first: str, last: str) -> tuple[str, str]:
    row = db.execute(
        "insert into public.contacts (phone, first_name, last_name) values (%s, %s, %s)"
        " returning id, qr_token",
        (f"+1305555{random.randrange(1000, 10000)}", first, last),
    ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def test_door_scans_reprints_queues_offline_and_registers_a_walk_in(
    venue: Venue,
    supabase_env: dict[str, str],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
    spa_url: str,
) -> None:
    event_id = venue.door.event_id
    suffix = uuid.uuid4().hex[:4].capitalize()
    volunteer = add_volunteer(supabase_env, display_name=f"Vera Door{suffix}")
    db.execute(
        "insert into public.event_staff (event_id, user_id) values (%s, %s)",
        (event_id, volunteer.member.user_id),
    )
    bob_id, bob_token = add_attendee(db, "Bob", f"Door{suffix}")
    celia_id, celia_token = add_attendee(db, "Celia", f"Door{suffix}")
    organizer = add_volunteer(supabase_env, "organizer")
    stuck_job, dana_name = stuck_tag(db, supabase_env, event_id, f"Door{suffix}")
    walk_in_local = f"555{random.randrange(1000, 10000)}"
    event_name = db.execute("select name from public.events where id = %s", (event_id,)).fetchone()
    assert event_name is not None

    run = run_browser(
        "door",
        EVENT_SLUG=venue.slug,
        EVENT_NAME=event_name[0],
        EMAIL=volunteer.member.email,
        PASSWORD=volunteer.password,
        BOB_TOKEN=bob_token,
        BOB_NAME=f"Bob Door{suffix}",
        CELIA_TOKEN=celia_token,
        CELIA_NAME=f"Celia Door{suffix}",
        WALK_IN_PHONE=f"305{walk_in_local}",
        ORGANIZER_EMAIL=organizer.member.email,
        ORGANIZER_PASSWORD=organizer.password,
        DANA_NAME=dana_name,
        EVENT_ID=event_id,
        VOLUNTEER_NAME=f"Vera Door{suffix}",
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "door",
        "checked-in",
        "already-checked-in",
        "reprinted",
        "not-found",
        "lookup",
        "offline-es",
        "back-online-es",
        "walk-in-form-es",
        "walk-in-checked-in-es",
        "print-queue",
        "print-queue-moved",
        "event-volunteers",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert run.result["html_lang"] == "es"
    # A toast (shown at 360 px and at 1280 px) never covers the header's sign-out or language.
    assert run.result["toast_over_header"] == {"phone": False, "desk": False}
    # The organizer took the volunteer off the event's door team and put them back.
    team = db.execute(
        "select user_id::text, added_by::text from public.event_staff where event_id = %s",
        (event_id,),
    ).fetchall()
    assert team == [(volunteer.member.user_id, organizer.member.user_id)]
    # The wasm came from our own build, once, after the camera started.
    assert len(run.result["wasm"]) == 1
    assert run.result["wasm"][0].startswith(f"{spa_url}/assets/")

    methods = dict(
        db.execute(
            "select contact_id::text, method from public.check_ins where event_id = %s", (event_id,)
        ).fetchall()
    )
    assert methods[bob_id] == "qr"
    assert methods[celia_id] == "qr", "the check-in queued offline was sent once back online"
    walk_in = db.execute(
        "select c.id, ci.method from public.contacts c"
        " join public.check_ins ci on ci.contact_id = c.id and ci.event_id = %s"
        " where c.phone = %s and c.first_name = 'Walter'",
        (event_id, f"+1305{walk_in_local}"),
    ).fetchone()
    assert walk_in is not None
    assert walk_in[1] == "phone"
    consents = db.execute(
        "select e.channel::text, e.status::text, d.locale from public.consent_events e"
        " join public.consent_disclosures d on d.id = e.disclosure_id where e.contact_id = %s",
        (walk_in[0],),
    ).fetchall()
    assert consents == [("sms", "opted_in", "es")]

    reprint = wait_for(
        lambda: db.execute(
            "select status from public.print_jobs where contact_id = %s and reprint_of is not null",
            (bob_id,),
        ).fetchone(),
        lambda row: row is not None and row[0] == "printed",
        seconds=30,
        what="Bob's reprinted tag",
    )
    assert reprint is not None
    assert venue.cups.output_path.read_bytes().startswith(b"%PDF")

    moved = wait_for(
        lambda: db.execute(
            "select device_id::text, status from public.print_jobs where id = %s", (stuck_job,)
        ).fetchone(),
        lambda row: row is not None and row[1] == "printed",
        seconds=30,
        what="Dana's tag, moved off the silent station",
    )
    assert moved == (venue.door.station.device_id, "printed")
