"""Templates and blasts in Chromium as an organizer, against the whole local system (the
session's stack, the provider simulator, the webhook server and a messaging worker): write a
template whose accented letters force UCS-2 and replace them, preview it for a contact; compose
a 200-recipient SMS blast with two variants, preview it, start it, watch the live progress,
pause and resume, a recipient replies STOP in the simulator mid-blast and the progress shows the
opt-out, and it reaches completed. axe on every state."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest

from devstack.local_messaging import LocalMessaging
from devstack.simulators import scenario
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.web.conftest import BrowserRun

RECIPIENTS = 200
# Slow enough to pause mid-blast from a browser, fast enough to finish in about ten seconds.
MPS = 15.0


@pytest.fixture
def organizer(supabase_env: dict[str, str]) -> tuple[str, str]:
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
    )
    with ServiceApi(settings) as api:
        added = staff.add_staff(api, f"blasts-{uuid.uuid4().hex[:8]}@hellomiami.local", "organizer")
    return added.member.email, added.password


@pytest.fixture
def audience(
    db: psycopg.Connection[tuple[Any, ...]], texting: LocalMessaging
) -> Iterator[dict[str, Any]]:
    """200 opted-in contacts in a saved segment, a paced sender and variant A's template."""
    suffix = secrets.token_hex(3)
    sender_id, number = scenario.create_sms_sender(db, mps=MPS)
    contacts = scenario.create_contacts(db, RECIPIENTS)
    tag = f"e2e-blast-{suffix}"
    db.execute(
        "update public.contacts set tags = array[%s] where id = any(%s::uuid[])",
        (tag, [c.id for c in contacts]),
    )
    segment = f"Blast crowd {suffix}"
    db.execute(
        "insert into public.segments (name, definition) values (%s, %s)",
        (segment, json.dumps({"tags_any": [tag]})),
    )
    template_a = f"Variant A {suffix}"
    db.execute(
        "insert into public.message_templates (name, channel, body)"
        " values (%s, 'sms', 'Hi {{first_name | friend}}, see you Thursday!')",
        (template_a,),
    )
    sender = db.execute("select name from public.senders where id = %s", (sender_id,)).fetchone()
    assert sender is not None
    yield {
        "number": number,
        "phones": {c.phone for c in contacts},
        "preview_phone": contacts[0].phone,
        "SEGMENT_NAME": segment,
        "SENDER_NAME": str(sender[0]),
        "TEMPLATE_A": template_a,
        "TEMPLATE_B": f"Variant B {suffix}",
        "BLAST_NAME": f"Thursday {suffix}",
    }
    # The stack is shared: no later test's queue reaches this sender.
    db.execute("update public.senders set enabled = false where id = %s", (sender_id,))


def test_organizer_composes_starts_pauses_and_watches_a_blast_complete(
    organizer: tuple[str, str],
    audience: dict[str, Any],
    texting: LocalMessaging,
    run_browser: Callable[..., BrowserRun],
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    email, password = organizer
    stopped: list[str] = []

    def answer(request: str) -> str:
        asked = json.loads(request)
        assert asked == {"reply_stop": True}, request
        # A recipient who already got their text replies STOP from their phone.
        texts = httpx.get(f"{texting.simulator.url}/_sim/sms", timeout=10).json()
        phone = next(r["to"] for r in texts if r["to"] in audience["phones"])
        reply = httpx.post(
            f"{texting.simulator.url}/_sim/inbound",
            json={"from": phone, "to": audience["number"], "body": "STOP"},
            timeout=10,
        )
        assert reply.status_code == 200, reply.text
        stopped.append(phone)
        return phone

    run = run_browser(
        "blast_composer",
        answer=answer,
        STAFF_EMAIL=email,
        STAFF_PASSWORD=password,
        PREVIEW_PHONE=audience["preview_phone"],
        **{k: v for k, v in audience.items() if k.isupper()},
    )

    states = [line["state"] for line in run.lines if "state" in line]
    assert states == [
        "templates-list",
        "template-ucs2",
        "template-gsm7-preview",
        "template-saved",
        "blasts-list",
        "composer-winner",
        "composer",
        "preview",
        "confirm-start",
        "paused",
        "sending",
        "completed",
        "completed-es",
    ]
    assert not [line for line in run.lines if "page_error" in line]
    blast = db.execute(
        "select id, status, recipients_total, sent_count, opted_out_count from public.blasts"
        " where name = %s",
        (audience["BLAST_NAME"],),
    ).fetchone()
    assert blast is not None
    blast_id, status, total, sent, opted_out = blast
    assert (status, total, opted_out) == ("completed", RECIPIENTS, 1)
    # Nobody got two texts, and every recipient got one of the two variants.
    texts = httpx.get(f"{texting.simulator.url}/_sim/sms", timeout=10).json()
    ours = [r for r in texts if r["to"] in audience["phones"]]
    assert len(ours) == len({r["to"] for r in ours}) == sent
    variants = db.execute(
        "select variant, count(*) from public.blast_recipients where blast_id = %s"
        " group by 1 order by 1",
        (blast_id,),
    ).fetchall()
    assert [v for v, _ in variants] == ["A", "B"]
    consent = db.execute(
        "select cc.status from public.contact_consents cc"
        " join public.contacts c on c.id = cc.contact_id"
        " where c.phone = %s and cc.channel = 'sms'",
        (stopped[0],),
    ).fetchone()
    assert consent == ("opted_out",)
    template = db.execute(
        "select body from public.message_templates where name = %s", (audience["TEMPLATE_B"],)
    ).fetchone()
    assert template == ("Hola {{first_name | amigo}}, mas informacion mañana.",)
    print(json.dumps(run.result))
