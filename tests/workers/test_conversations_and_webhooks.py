"""1:1 conversations and webhook handling end to end (real stack, simulator, webhook server)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
from supabase import Client

from devstack.simulators import scenario
from devstack.simulators.callbacks import twilio_signature
from devstack.stack.manager import LocalStack
from tests.polling import eventually
from tests.workers.conftest import SIM_CONFIG, System
from tests.workers.flow_helpers import Connection
from workers.postgres_store import PostgresOutboxStore


def make_organizer(db: Connection) -> str:
    user_id = str(uuid.uuid4())
    db.execute(
        "insert into auth.users (id, email) values (%s, %s)", (user_id, f"{user_id}@example.org")
    )
    db.execute(
        "insert into public.staff (user_id, level, status) values (%s, 'organizer', 'active')",
        (user_id,),
    )
    return user_id


def webhook_event_count(db: Connection) -> int:
    row = db.execute("select count(*) from public.webhook_events").fetchone()
    return int(row[0]) if row else 0


def test_conversation_round_trip(
    system: System,
    db: Connection,
    make_client: Callable[..., Client],
    make_token: Callable[..., str],
) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=10)
    db.execute("update public.senders set use_for_transactional = true where id = %s", (sender_id,))
    [contact] = scenario.create_contacts(db, 1, consent=False)
    system.start_worker("conversation")
    answer = system.sim.post(
        "/_sim/inbound", {"from": contact.phone, "to": number, "body": "Is it on tonight?"}
    )
    assert answer["status_code"] == 200
    row = db.execute(
        """select c.id, m.body from public.conversations c
           join public.messages m on m.conversation_id = c.id and m.direction = 'inbound'
           where c.contact_id = %s""",
        (contact.id,),
    ).fetchone()
    assert row is not None
    conversation_id, inbound_body = row
    assert inbound_body == "Is it on tonight?"
    organizer = make_organizer(db)
    client = make_client(access_token=make_token(organizer, role="authenticated"))
    reply = client.rpc(
        "send_conversation_reply",
        {"p_conversation_id": str(conversation_id), "p_body": "Yes, 7pm!"},
    ).execute()
    assert isinstance(reply.data, dict)
    message_id = reply.data["id"]

    def delivered() -> bool:
        status = db.execute(
            "select status::text from public.messages where id = %s", (message_id,)
        ).fetchone()
        return status == ("delivered",)

    eventually(delivered, 20, "reply delivered")
    texts = [r for r in system.sim.sms() if r["to"] == contact.phone]
    assert [t["body"] for t in texts] == ["Yes, 7pm!"]
    assert texts[0]["status_callback"].endswith(f"message_id={message_id}")


def test_forged_and_unsigned_webhooks_are_refused_and_write_nothing(
    system: System, db: Connection
) -> None:
    url = f"{system.messaging.webhook_url}/twilio/inbound"
    params = {
        "MessageSid": "SM" + "f" * 32,
        "From": "+13055550111",
        "To": "+13055550000",
        "Body": "forged",
    }
    before = webhook_event_count(db)
    forged = httpx.post(
        url,
        content=urlencode(params),
        headers={
            "X-Twilio-Signature": twilio_signature("not-the-token", url, params),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    unsigned = httpx.post(url, data=params)
    email = httpx.post(
        f"{system.messaging.webhook_url}/mailersend/events",
        json={"type": "activity.delivered", "data": {"id": "x"}},
        headers={"Signature": "00"},
    )
    assert (forged.status_code, unsigned.status_code, email.status_code) == (403, 403, 403)
    assert webhook_event_count(db) == before


def test_duplicate_inbound_webhook_is_stored_and_processed_once(
    system: System, db: Connection
) -> None:
    _, number = scenario.create_sms_sender(db, mps=10)
    [contact] = scenario.create_contacts(db, 1)
    url = f"{system.messaging.webhook_url}/twilio/inbound"
    sid = "SM" + uuid.uuid4().hex
    params = {
        "MessageSid": sid,
        "AccountSid": SIM_CONFIG.twilio_account_sid,
        "From": contact.phone,
        "To": number,
        "Body": "twice",
        "NumMedia": "0",
    }
    headers = {
        "X-Twilio-Signature": twilio_signature(SIM_CONFIG.twilio_auth_token, url, params),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    answers = [httpx.post(url, content=urlencode(params), headers=headers) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    row = db.execute(
        "select count(*) from public.messages where provider_id = %s", (sid,)
    ).fetchone()
    assert row == (1,)
    events = db.execute(
        "select count(*) from public.webhook_events where provider_event_id = %s", (sid,)
    ).fetchone()
    assert events == (1,)


def test_out_of_order_status_callbacks_never_move_a_status_backwards(
    system: System, db: Connection
) -> None:
    sender_id, _number = scenario.create_sms_sender(db, mps=50)
    contacts = scenario.create_contacts(db, 1)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("order")
    scenario.start_blast(db, blast_id)

    def status() -> tuple[str, str] | None:
        row = db.execute(
            "select status::text, provider_id from public.messages where blast_id = %s",
            (blast_id,),
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    eventually(lambda: (status() or ("",))[0] == "delivered", 20, "delivered")
    current = status()
    assert current is not None
    system.sim.post(f"/_sim/sms/{current[1]}/status", {"status": "sent"})
    system.sim.post(f"/_sim/sms/{current[1]}/status", {"status": "queued"})
    time.sleep(1.0)  # status callbacks are processed just after the answer
    assert status() == current


async def test_postgres_transport_stores_and_processes_webhooks_in_batches(
    stack: LocalStack, db: Connection
) -> None:
    """The webhook server's batch calls: a repeated id inside one batch is a duplicate, results
    keep the batch's order, and a status for an unknown message is deferred (not lost)."""
    sid = "SM" + uuid.uuid4().hex
    other = "SM" + uuid.uuid4().hex
    events: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "twilio",
            f"{sid}:delivered",
            "sms_status",
            {"MessageSid": sid, "MessageStatus": "delivered"},
        ),
        ("twilio", f"{other}:sent", "sms_status", {"MessageSid": other, "MessageStatus": "sent"}),
        (
            "twilio",
            f"{sid}:delivered",
            "sms_status",
            {"MessageSid": sid, "MessageStatus": "delivered"},
        ),
    ]
    async with PostgresOutboxStore.open_pool(stack.config.db_url(), 2) as pool:
        store = PostgresOutboxStore(pool)
        stored = await store.store_events(events)
        assert [duplicate for _, duplicate in stored] == [False, False, True]
        assert stored[0][0] == stored[2][0] != stored[1][0]
        results = await store.process_events([stored[1][0], stored[0][0]])
        assert [result.get("deferred") for result in results] == [True, True]
        # A server that died after answering leaves the event `received`: the sweep finds it.
        ((fresh, _),) = await store.store_events(
            [("twilio", f"{other}:delivered", "sms_status", {"MessageSid": other})]
        )
        db.execute(
            "update public.webhook_events set received_at = now() - interval '1 minute' "
            "where id = %s",
            (fresh,),
        )
        assert fresh in await store.list_deferred(5, 1000)
        assert stored[0][0] not in await store.list_deferred(5, 1000)  # deferred, id unknown
