"""Staff management end to end in Chromium: an owner invites an organizer, the invitation
email arrives in the MailerSend simulator (sent by the real worker), the invitee sets a
password from the link, and the owner changes their level and disables them; then a sender's
daily cap is changed (and audited), the settings screen shown, a failed webhook replayed and
the replay found in the audit log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import psycopg

from devstack.local_messaging import LocalMessaging
from tests.polling import wait_for
from tests.web.conftest import BrowserRun, StaffLogin


def test_an_owner_invites_an_organizer_who_sets_a_password_and_signs_in(
    make_staff: Callable[..., StaffLogin],
    texting: LocalMessaging,
    run_browser: Any,
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    db.execute(
        "insert into public.senders (name, channel, provider, from_email, from_name)"
        " values ('Web tests email', 'email', 'mailersend', 'team@hellomiami.org', 'Hello Miami')"
        " on conflict (name) do nothing"
    )
    owner = make_staff("owner")
    invitee = f"olga-{uuid.uuid4().hex[:8]}@example.com"
    failure = f"deadlock detected {uuid.uuid4().hex[:6]}"
    sid = f"SMweb{uuid.uuid4().hex[:10]}"
    db.execute(
        "insert into public.webhook_events (provider, provider_event_id, event_type, payload,"
        " status, last_error) values ('twilio', %s, 'sms_status', %s, 'failed', %s)",
        (f"{sid}-sent", json.dumps({"MessageSid": sid, "MessageStatus": "sent"}), failure),
    )

    def link_fragment(email: str) -> str:
        def emails() -> list[dict[str, Any]]:
            records = httpx.get(f"{texting.simulator.url}/_sim/emails", timeout=10).json()
            return [r for r in records if email in r["to"] and "/set-password#" in r["text"]]

        [found] = wait_for(emails, seconds=30, what=f"an invitation email to {email}")
        return str(found["text"].split("/set-password#", 1)[1].split()[0])

    run: BrowserRun = run_browser(
        "admin_staff",
        answer=link_fragment,
        **owner.browser_env("OWNER"),
        INVITEE_EMAIL=invitee,
        INVITEE_PASSWORD=f"olga {uuid.uuid4().hex[:8]}",
        SENDER_NAME="Web tests email",
        FAILED_WEBHOOK_ERROR=failure,
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "staff",
        "invite-invalid",
        "invitation-sent",
        "set-password",
        "set-password-mismatch",
        "invitee-console",
        "member-disabled",
        "sender-invalid",
        "settings",
        "webhooks",
        "audit",
        "staff-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    row = db.execute(
        "select s.level::text, s.status, s.display_name, s.created_by = o.id"
        " from public.staff s join auth.users u on u.id = s.user_id, auth.users o"
        " where u.email = %s and o.email = %s",
        (invitee, owner.email),
    ).fetchone()
    assert row == ("volunteer", "disabled", "Olga Organizer", True)
    actions = db.execute(
        "select action, table_name from public.audit_log a join auth.users o on o.id = a.actor_id"
        " where o.email = %s order by a.id",
        (owner.email,),
    ).fetchall()
    assert actions == [
        ("insert", "staff_invitations"),
        ("update", "staff"),
        ("update", "staff"),
        ("update", "senders"),
        ("webhook_replay", "webhook_events"),
    ]
    cap = db.execute("select daily_cap from public.senders where name = 'Web tests email'")
    assert cap.fetchone() == (500,)
