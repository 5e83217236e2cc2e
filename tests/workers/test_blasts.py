"""Blasts end to end: real stack, provider simulator, worker processes, webhook server."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from devstack.simulators import scenario
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.flow_helpers import (
    Connection,
    blast_is_final,
    blast_status,
    blast_statuses,
    texts_to,
)

pytestmark = pytest.mark.slow


def test_blast_to_2000_recipients_with_two_workers_at_the_configured_rate(
    system: System, db: Connection
) -> None:
    mps = 100.0
    sender_id, number = scenario.create_sms_sender(db, mps=mps)
    contacts = scenario.create_contacts(db, 2000)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("blast-a")
    system.start_worker("blast-b")
    scenario.start_blast(db, blast_id)
    eventually(
        lambda: blast_is_final(db, blast_id),
        180,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    records = system.sim.sms()
    sent = texts_to(records, number)
    assert len(sent) == 2000
    assert max(sent.values()) == 1
    times = sorted(
        datetime.fromisoformat(r["created_at"]).timestamp() for r in records if r["from_"] == number
    )
    # Never above the rate plus one second of burst over any window.
    assert len(times) <= mps * (times[-1] - times[0]) + mps + 1
    assert blast_statuses(db, blast_id) == {"delivered": 2000}
    eventually(lambda: blast_status(db, blast_id) == "completed", 10, "blast completed")


def test_kill_9_mid_blast_then_restart_loses_and_doubles_nothing(
    system: System, db: Connection
) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=100)
    contacts = scenario.create_contacts(db, 600)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("kill-a")
    system.start_worker("kill-b")
    scenario.start_blast(db, blast_id)
    eventually(lambda: len(texts_to(system.sim.sms(), number)) >= 100, 30, "100 texts out")
    system.kill_worker("kill-a")
    time.sleep(1.0)
    system.start_worker("kill-a")
    eventually(
        lambda: blast_is_final(db, blast_id),
        120,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    sent = texts_to(system.sim.sms(), number)
    assert len(sent) == 600
    assert max(sent.values()) == 1


def test_ambiguous_sends_are_resolved_without_duplicates(system: System, db: Connection) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=50)
    contacts = scenario.create_contacts(db, 60)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.sim.fault("twilio", "server_error", count=3)
    system.sim.fault("twilio", "drop", count=3)
    system.sim.fault("twilio", "timeout", count=2, delay=7.0)
    system.sim.fault("twilio", "rate_limited", count=5)
    system.start_worker("ambiguous")
    scenario.start_blast(db, blast_id)
    eventually(
        lambda: blast_is_final(db, blast_id),
        60,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    sent = texts_to(system.sim.sms(), number)
    assert len(sent) == 60
    assert max(sent.values()) == 1
    assert blast_statuses(db, blast_id) == {"delivered": 60}


def test_stop_mid_blast_is_honoured_for_the_rest_of_it(system: System, db: Connection) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=20)
    contacts = scenario.create_contacts(db, 200)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("stop")
    scenario.start_blast(db, blast_id)
    eventually(lambda: len(texts_to(system.sim.sms(), number)) >= 10, 30, "blast under way")
    # The quitters are the five the claim would reach last (it takes pending rows in id order), so
    # none of their texts is in flight when they say Stop and the blast's opt-out rate stays low.
    last_in_line = {
        row[0]
        for row in db.execute(
            """select contact_id::text from public.blast_recipients
               where blast_id = %s and status = 'pending' order by id desc limit 5""",
            (blast_id,),
        ).fetchall()
    }
    quitters = [c for c in contacts if c.id in last_in_line]
    assert len(quitters) == 5
    for contact in quitters:
        answer = system.sim.post(
            "/_sim/inbound", {"from": contact.phone, "to": number, "body": "Stop"}
        )
        assert answer["status_code"] == 200
        assert "<Message>" in answer["reply"] or answer["reply"].strip().endswith("/>")
    stopped_at = time.time()
    eventually(
        lambda: blast_is_final(db, blast_id),
        60,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    late = [
        r
        for r in system.sim.sms()
        if r["from_"] == number
        and r["to"] in {c.phone for c in quitters}
        and datetime.fromisoformat(r["created_at"]).timestamp() > stopped_at + 5
    ]
    assert late == []
    consent = db.execute(
        """select count(*) from public.contact_consents
           where contact_id = any(%s::uuid[]) and channel = 'sms' and status = 'opted_out'""",
        ([c.id for c in quitters],),
    ).fetchone()
    assert consent is not None
    assert consent[0] == len(quitters)


def test_pause_stops_provider_calls_within_two_seconds(system: System, db: Connection) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=40)
    contacts = scenario.create_contacts(db, 400)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("pause")
    scenario.start_blast(db, blast_id)
    eventually(lambda: len(texts_to(system.sim.sms(), number)) >= 40, 30, "blast under way")
    db.execute("select public.pause_blast(%s)", (blast_id,))
    paused_at = time.time()
    time.sleep(4.0)
    late = [
        r
        for r in system.sim.sms()
        if r["from_"] == number
        and datetime.fromisoformat(r["created_at"]).timestamp() > paused_at + 2
    ]
    assert late == []
    db.execute("select public.resume_blast(%s)", (blast_id,))
    eventually(
        lambda: blast_is_final(db, blast_id),
        60,
        "finished after resuming",
        lambda: blast_statuses(db, blast_id),
    )
    assert len(texts_to(system.sim.sms(), number)) == 400


def test_unsubscribed_at_twilio_becomes_an_opt_out_and_is_never_retried(
    system: System, db: Connection
) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=50)
    contacts = scenario.create_contacts(db, 20)
    blocked = contacts[3]
    system.sim.configure(sms_unsubscribed=[blocked.phone])
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("optout")
    scenario.start_blast(db, blast_id)
    eventually(
        lambda: blast_is_final(db, blast_id),
        30,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    row = db.execute(
        """select status::text, error_code from public.messages
           where blast_id = %s and to_address = %s""",
        (blast_id, blocked.phone),
    ).fetchone()
    assert row == ("failed", "21610")
    consent = db.execute(
        """select status::text from public.contact_consents
           where contact_id = %s and channel = 'sms'""",
        (blocked.id,),
    ).fetchone()
    assert consent == ("opted_out",)
    assert len(texts_to(system.sim.sms(), number)) == 19


def test_mailersend_429_mid_bulk_requeues_and_never_finishes_early(
    system: System, db: Connection
) -> None:
    sender_id = scenario.create_email_sender(db, rate=1000)
    contacts = scenario.create_contacts(db, 30)
    blast_id = scenario.create_blast(
        db, channel="email", contacts=contacts, email_sender_id=sender_id
    )
    system.sim.configure(email_retry_after_seconds=2)
    system.sim.fault("mailersend", "rate_limited", count=2)
    system.start_worker("email", WORKER_CHANNELS="email")
    scenario.start_blast(db, blast_id)
    time.sleep(1.0)
    assert blast_status(db, blast_id) != "completed"
    eventually(
        lambda: blast_is_final(db, blast_id),
        60,
        "every recipient final",
        lambda: blast_statuses(db, blast_id),
    )
    delivered = [e for e in system.sim.emails() if e["to"][0] in {c.email for c in contacts}]
    assert sorted(e["to"][0] for e in delivered) == sorted(c.email for c in contacts)
    marketing = delivered[0]
    assert any(h["name"] == "List-Unsubscribe" for h in marketing["headers"])
