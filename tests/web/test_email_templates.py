"""HTML email in Chromium as an organizer, against the whole local system (the session's stack,
the provider simulator and a messaging worker): an email template whose text carries markup and
a scripted link is previewed for a contact as the HTML the database renders for the sends — in a
sandboxed frame, escaped —, saved, and sent as a test to the organizer, which reaches MailerSend's
simulator with both parts; then a blast composed to an unsaved filter shows its live count and
goes to that filter. axe on every state."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest

from devstack.local_messaging import LocalMessaging
from devstack.simulators import scenario
from tests.web.conftest import BrowserRun, StaffLogin

BODY = (
    "Hi {{first_name | friend}} <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
    "RSVP at https://hellomiami.org/rsvp, not javascript:alert(1)."
)
FILTERED = 7


@pytest.fixture
def mail_setup(
    db: psycopg.Connection[tuple[Any, ...]], texting: LocalMessaging
) -> Iterator[dict[str, Any]]:
    """An email sender and a handful of tagged contacts for the filter."""
    suffix = secrets.token_hex(3)
    sender_id = scenario.create_email_sender(db)
    contacts = scenario.create_contacts(db, FILTERED)
    tag = f"e2e-mail-{suffix}"
    db.execute(
        "update public.contacts set tags = array[%s] where id = any(%s::uuid[])",
        (tag, [c.id for c in contacts]),
    )
    sender = db.execute("select name from public.senders where id = %s", (sender_id,)).fetchone()
    assert sender is not None
    yield {
        "PREVIEW_PHONE": contacts[0].phone,
        "TEMPLATE_NAME": f"Newsletter {suffix}",
        "BLAST_NAME": f"Filtered {suffix}",
        "FILTER_TAG": tag,
        "SENDER_NAME": str(sender[0]),
    }
    # The stack is shared: no later test's queue reaches this sender.
    db.execute("update public.senders set enabled = false where id = %s", (sender_id,))


def test_organizer_previews_an_email_as_sent_and_gets_a_test_with_both_parts(
    make_staff: Callable[..., StaffLogin],
    mail_setup: dict[str, Any],
    texting: LocalMessaging,
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    organizer = make_staff("organizer")
    run = run_browser(
        "email_templates",
        STAFF_EMAIL=organizer.email,
        STAFF_PASSWORD=organizer.password,
        BODY=BODY,
        **mail_setup,
    )
    states = [line["state"] for line in run.lines if "state" in line]
    assert states == ["email-preview", "email-saved", "composer-filter", "filtered-blast"]
    assert not [line for line in run.lines if "page_error" in line]

    # The test reaches MailerSend with both parts, the HTML the preview showed.
    def test_email() -> dict[str, Any] | None:
        emails = httpx.get(f"{texting.simulator.url}/_sim/emails", timeout=10).json()
        return next((e for e in emails if e["to"] == [organizer.email]), None)

    deadline = time.monotonic() + 30
    while (email := test_email()) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert email is not None, "the test email never reached the simulator"
    assert email["text"].startswith("Hi friend <script>alert(1)</script>")
    html = email["html"]
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en"' in html
    assert "Hi friend &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x" in html
    assert '<a href="https://hellomiami.org/rsvp"' in html
    assert 'href="javascript' not in html
    assert "<script" not in html

    # The filtered blast goes to a one-off segment of exactly that filter, not listed.
    row = db.execute(
        "select s.one_off, s.definition from public.blasts b"
        " join public.segments s on s.id = b.segment_id where b.name = %s",
        (mail_setup["BLAST_NAME"],),
    ).fetchone()
    assert row is not None
    assert row[0] is True
    assert row[1] == {"tags_any": [mail_setup["FILTER_TAG"]]}
    print(json.dumps(run.result))
