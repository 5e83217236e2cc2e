"""Flow 1 end to end in Chromium: the poster URL, a code read from the simulated phone, the
first-timer form with an SMS opt-in, checked in, the tag printed by the real cupsd."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.polling import wait_for
from tests.web.conftest import BrowserRun, Venue


@pytest.mark.parametrize("language", ["en", "es"])
def test_self_checkin_from_poster_url_to_printed_tag(
    language: str,
    venue: Venue,
    run_browser: Callable[..., BrowserRun],
    phone_inbox: Callable[[str], str],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    local = f"555{random.randrange(1000, 10000)}"
    typed, e164 = f"305{local}", f"+1305{local}"
    event_name = db.execute(
        "select name from public.events where slug = %s", (venue.slug,)
    ).fetchone()
    assert event_name is not None

    run = run_browser(
        "self_checkin",
        answer=phone_inbox,
        EVENT_SLUG=venue.slug,
        EVENT_NAME=event_name[0],
        PHONE_TYPED=typed,
        PHONE_E164=e164,
        FIRST_NAME="María",
        LANG_UNDER_TEST=language,
    )

    assert run.result["phone_shown"] == f"(305) {local[:3]}-{local[3:]}"
    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "phone",
        "phone-invalid",
        "code",
        "code-wrong",
        "register",
        "register-errors",
        "checked-in",
        "already-checked-in",
    ]
    assert not [line for line in run.lines if "page_error" in line]

    contact = db.execute(
        "select id, first_name, pronouns, company, preferred_language from public.contacts"
        " where phone = %s",
        (e164,),
    ).fetchone()
    assert contact is not None
    assert contact[1:] == ("María", "she/her", "Hello Labs", language)
    consents = db.execute(
        "select e.channel::text, e.status::text, e.source::text, d.locale, d.body"
        " from public.consent_events e join public.consent_disclosures d on d.id = e.disclosure_id"
        " where e.contact_id = %s",
        (contact[0],),
    ).fetchall()
    # Only the ticked box is recorded; the unticked email box records nothing.
    assert len(consents) == 1
    channel, status, source, locale, body = consents[0]
    assert (channel, status, source, locale) == ("sms", "opted_in", "form", language)
    assert "STOP" in body

    check_in = db.execute(
        "select method, to_char(checked_in_at at time zone e.time_zone, 'FMHH12:MI')"
        " from public.check_ins c join public.events e on e.id = c.event_id"
        " where c.contact_id = %s and c.event_id = %s",
        (contact[0], venue.door.event_id),
    ).fetchone()
    assert check_in is not None
    assert check_in[0] == "self"
    assert check_in[1] in run.result["already_line"], "the time is shown in the event's time zone"

    job = wait_for(
        lambda: db.execute(
            "select status from public.print_jobs where contact_id = %s and event_id = %s",
            (contact[0], venue.door.event_id),
        ).fetchone(),
        lambda row: row is not None and row[0] == "printed",
        seconds=30,
        what="the name tag printed",
    )
    assert job is not None
    assert venue.cups.output_path.read_bytes().startswith(b"%PDF")
