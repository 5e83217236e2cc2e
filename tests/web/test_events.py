"""Events in Chromium as an organizer whose browser sits in another time zone: create an event
in the organisation's zone (a bad end is refused at its field), see it listed at the time typed,
open its live view and watch a door check-in arrive with the count going up. RSVPs: an anonymous
visitor RSVPs on the public page (with an SMS opt-in), the attendee page shows it live, the
organizer sends the personal passes (one transactional text, once); the pass link opens the QR.
Then a crowd of 70 arrives: the attendee list pages (50, then "Show more"), filters and searches
on the server, and the CSV export holds all 72 people, not the pages shown. axe on every state."""

from __future__ import annotations

import json
import re
import time as clock
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from tests.web.conftest import BrowserRun, StaffLogin


def test_organizer_creates_an_event_and_watches_check_ins_arrive(
    make_staff: Callable[..., StaffLogin],
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    organizer = make_staff("organizer")
    row = db.execute("select org_time_zone from public.messaging_settings").fetchone()
    assert row is not None
    org_zone = ZoneInfo(row[0])
    start_date = (datetime.now(org_zone) + timedelta(days=1)).date()
    name = f"E2E Demo Night {uuid.uuid4().hex[:6]}"
    rsvp_phone = f"+1305555{uuid.uuid4().int % 10_000:04d}"
    sender = db.execute(
        "insert into public.senders (name, channel, provider, from_number, mps_segments)"
        " values (%s, 'sms', 'twilio', '+13055550191', 10) returning id",
        (name,),
    ).fetchone()
    assert sender is not None

    def answer(request: str) -> str:
        asked = json.loads(request)
        if "pass_link" in asked:
            # What the person reads in the text: the link in the queued pass.
            body = db.execute(
                "select m.body from public.messages m join public.contacts c on c.id = m.contact_id"
                " where c.phone = %s and m.dedupe_key like 'rsvp_pass:%%'",
                (asked["pass_link"],),
            ).fetchone()
            assert body is not None
            return str(re.search(r"https?://\S+/pass/\S+", body[0]).group(0))  # type: ignore[union-attr]
        if "crowd" in asked:
            # 40 more RSVPs who are not in yet and 30 walk-ins, in one statement each.
            db.execute(
                "with crowd as (insert into public.contacts (first_name, last_name, source)"
                "  select 'Crowd', (case when i <= 40 then 'Rsvp ' else 'Walk-in ' end) || i, %s"
                "    from generate_series(1, 70) i returning id, last_name)"
                " insert into public.event_rsvps (event_id, contact_id, source)"
                " select %s, id, 'import' from crowd where last_name like 'Rsvp%%'",
                (name, asked["crowd"]),
            )
            db.execute(
                "insert into public.check_ins (event_id, contact_id, method)"
                " select %s, id, 'phone' from public.contacts"
                "  where source = %s and last_name like 'Walk-in%%'",
                (asked["crowd"], name),
            )
            return "ok"
        if "late" in asked:
            # One of the crowd who RSVP'd arrives, with the list's two pages open.
            db.execute(
                "insert into public.check_ins (event_id, contact_id, method)"
                " select %s, id, 'qr' from public.contacts"
                "  where source = %s and last_name = 'Rsvp 40'",
                (asked["late"], name),
            )
            return "ok"
        event_id = asked["check_in"]
        # What the door's check_in does to the table, done the short way: a contact and their row.
        contact = db.execute(
            "insert into public.contacts (first_name, last_name, source)"
            " values ('Lia', 'Arrives', %s) returning id",
            (name,),
        ).fetchone()
        assert contact is not None
        db.execute(
            "insert into public.check_ins (event_id, contact_id, method) values (%s, %s, 'phone')",
            (event_id, contact[0]),
        )
        return str(clock.time())

    try:
        run = run_browser(
            "events",
            answer=answer,
            STAFF_EMAIL=organizer.email,
            STAFF_PASSWORD=organizer.password,
            EVENT_NAME=name,
            START_DATE=start_date.isoformat(),
            RSVP_PHONE=rsvp_phone,
        )

        states = [line["state"] for line in run.lines if "state" in line]
        assert states == [
            "new-event",
            "new-event-refused",
            "attendees-empty",
            "rsvp-form",
            "rsvp-done",
            "attendees-rsvp",
            "passes-sent",
            "pass",
            "list",
            "live-empty",
            "live-arrived",
            "live-es",
            "attendees-first-page",
            "attendees-behind",
            "attendees-filtered",
            "attendees-no-match",
        ]
        assert not [line for line in run.lines if "page_error" in line]
        # Listed at the time typed, in the organisation's zone (the browser was in Tokyo's).
        assert "6:00 PM" in run.result["row_text"]
        assert "1 of 80" in run.result["row_text"]
        # One transactional pass, in a text, with the person's own QR token; the opt-in names
        # the disclosure shown; the export says RSVP and carries the phone an organizer may read.
        passes = db.execute(
            "select m.kind::text, m.channel::text, m.is_marketing,"
            "       m.body like '%%/pass/' || c.qr_token || '%%',"
            "       (select count(*) from public.consent_events e where e.contact_id = c.id"
            "         and e.status = 'opted_in' and e.source = 'form'"
            "         and e.disclosure_id is not null)"
            "  from public.messages m join public.contacts c on c.id = m.contact_id"
            " where c.phone = %s",
            (rsvp_phone,),
        ).fetchall()
        assert passes == [("transactional", "sms", False, True, 1)]
        # Everyone is exported (72 people), not the 50 of a page.
        header, *exported = run.result["exported"].lstrip("\ufeff").splitlines()
        assert header.startswith("first_name,last_name,email,phone,rsvp,rsvp_source")
        assert len(exported) == 72
        rita = f"Rita,Early,,{rsvp_phone},rsvp,form,"
        assert [line for line in exported if line.startswith(rita)]
        event = db.execute(
            "select slug, starts_at, ends_at, time_zone, venue, capacity, published,"
            " created_by::text from public.events where id = %s",
            (run.result["event_id"],),
        ).fetchone()
        assert event is not None
        local_start = datetime.combine(start_date, time(18), tzinfo=org_zone)
        assert event == (
            name.lower().replace(" ", "-"),
            local_start,
            local_start + timedelta(hours=3),
            row[0],
            "The Lab, Wynwood",
            80,
            True,
            organizer.user_id,
        )
        print(json.dumps(run.result))
    finally:
        # The stack is shared: leave no event or contact behind.
        db.execute(
            "delete from public.messages"
            " where contact_id in (select id from public.contacts where phone = %s)",
            (rsvp_phone,),
        )
        db.execute("update public.senders set enabled = false where id = %s", sender)
        db.execute("delete from public.events where name = %s", (name,))
        db.execute("delete from public.contacts where phone = %s", (rsvp_phone,))
        db.execute("delete from public.contacts where source = %s", (name,))
