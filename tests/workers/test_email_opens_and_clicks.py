"""Opens and clicks end to end: a blast email sent by a worker, then MailerSend's
`activity.opened` / `activity.clicked` webhooks (from the simulator, shaped like theirs, signed)
through the webhook server into the database — the first open and click recorded once, the
delivery status untouched, and the contact found by the segment rules that read them."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from devstack.simulators import scenario
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.flow_helpers import Connection, blast_is_final


def engagement(db: Connection, message_id: str) -> tuple[Any, ...] | None:
    return db.execute(
        "select status::text, opened_at is not null, clicked_at is not null, opened_at, clicked_at"
        " from public.messages where id = %s",
        (message_id,),
    ).fetchone()


@pytest.mark.slow
def test_opens_and_clicks_are_recorded_once_and_leave_the_status(
    system: System, db: Connection
) -> None:
    email_sender_id = scenario.create_email_sender(db)
    [contact] = scenario.create_contacts(db, 1)
    blast_id = scenario.create_blast(
        db, channel="email", contacts=[contact], email_sender_id=email_sender_id
    )
    system.start_worker(f"opens-{secrets.token_hex(2)}")
    scenario.start_blast(db, blast_id)
    eventually(lambda: blast_is_final(db, blast_id), 60, "email sent")

    def delivered() -> tuple[str, str] | None:
        row = db.execute(
            "select id::text, provider_id from public.messages"
            " where blast_id = %s and status = 'delivered' and provider_id is not null",
            (blast_id,),
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    eventually(lambda: delivered() is not None, 20, "delivered, with MailerSend's id")
    found = delivered()
    assert found is not None
    message_id, provider_id = found

    system.sim.post(f"/_sim/emails/{provider_id}/event", {"type": "opened"})
    eventually(lambda: (engagement(db, message_id) or ())[1:3] == (True, False), 20, "open")
    first = engagement(db, message_id)
    system.sim.post(f"/_sim/emails/{provider_id}/event", {"type": "opened"})
    system.sim.post(
        f"/_sim/emails/{provider_id}/event",
        {"type": "clicked", "url": "https://hellomiami.org/rsvp"},
    )
    eventually(lambda: (engagement(db, message_id) or ())[2] is True, 20, "click")

    after = engagement(db, message_id)
    assert first is not None
    assert after is not None
    assert after[0] == "delivered"  # an open or a click never moves the status
    assert after[3] == first[3]  # the second open changed nothing
    clicks = [
        c["params"]
        for c in system.sim.callbacks()
        if c["params"].get("type") == "activity.clicked"
        and c["params"]["data"]["email"]["message"]["id"] == provider_id
    ]
    assert [c["data"]["morph"]["url"] for c in clicks] == ["https://hellomiami.org/rsvp"]
    assert clicks[0]["data"]["morph"]["object"] == "click"
    matched = db.execute(
        "select count(*) from private.segment_contact_ids(%s::jsonb) as id where id = %s",
        (f'{{"clicked_blasts": ["{blast_id}"]}}', contact.id),
    ).fetchone()
    assert matched == (1,)
