"""The kiosk and the venue poster in Chromium: the poster's QR opens /e/<slug>; on the kiosk a
first-timer checks in with a texted code, the kiosk signs them out and starts over, and only the
staff PIN (checked in SQL against its hash) leaves it."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import psycopg

from tests.web.conftest import BrowserRun, Venue


def test_kiosk_checks_in_resets_and_leaves_only_with_the_staff_pin(
    venue: Venue,
    run_browser: Callable[..., BrowserRun],
    phone_inbox: Callable[[str], str],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    event_id = venue.door.event_id
    db.execute(
        "insert into public.kiosk_pins (event_id, pin_hash, salt)"
        " values (%s, private.kiosk_pin_hash('\\x01'::bytea, '2468'), '\\x01'::bytea)",
        (event_id,),
    )
    event_name = db.execute("select name from public.events where id = %s", (event_id,)).fetchone()
    assert event_name is not None
    local = f"555{random.randrange(1000, 10000)}"

    run = run_browser(
        "kiosk",
        answer=phone_inbox,
        EVENT_SLUG=venue.slug,
        EVENT_NAME=event_name[0],
        PHONE_TYPED=f"305{local}",
        PHONE_E164=f"+1305{local}",
        PIN="2468",
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "poster",
        "kiosk-phone",
        "kiosk-checked-in",
        "kiosk-reset",
        "kiosk-exit-wrong-pin",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    assert run.result["left_to"] in (f"/door/{venue.slug}", "/sign-in")
    checked_in = db.execute(
        "select c.first_name, ci.method from public.check_ins ci"
        " join public.contacts c on c.id = ci.contact_id"
        " where ci.event_id = %s and c.phone = %s",
        (event_id, f"+1305{local}"),
    ).fetchone()
    assert checked_in == ("Kira", "self")
    failures = db.execute(
        "select failed_attempts from public.kiosk_pins where event_id = %s", (event_id,)
    ).fetchone()
    assert failures == (0,), "the right PIN clears the wrong attempt"
