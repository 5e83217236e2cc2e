"""MMS in the inbox end to end (real stack, simulator, webhook server, a worker): a picture a
contact texts in is copied from Twilio's authenticated media URL into the private bucket, and a
reply's uploaded image reaches Twilio as a signed URL of that bucket."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable

import httpx
from supabase import Client

from devstack.simulators import scenario
from tests.polling import eventually, wait_for
from tests.workers.conftest import SIM_CONFIG, System
from tests.workers.flow_helpers import Connection
from tests.workers.test_conversations_and_webhooks import make_organizer

# A one-pixel PNG: the smallest real image.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_inbound_picture_is_copied_and_a_reply_image_is_sent_signed(
    system: System,
    db: Connection,
    make_client: Callable[..., Client],
    make_token: Callable[..., str],
) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=10)
    [contact] = scenario.create_contacts(db, 1, consent=False)
    system.start_worker("inbox-media")
    media = [{"content_type": "image/png", "data_base64": base64.b64encode(PIXEL).decode()}]
    answer = system.sim.post(
        "/_sim/inbound", {"from": contact.phone, "to": number, "body": "Look!", "media": media}
    )
    assert answer["status_code"] == 200
    [twilio_url] = answer["media_urls"]
    # Like Twilio's: the media needs the account's credentials.
    assert httpx.get(twilio_url, timeout=10).status_code == 401
    credentials = (SIM_CONFIG.twilio_account_sid, SIM_CONFIG.twilio_auth_token)
    assert httpx.get(twilio_url, auth=credentials, timeout=10).content == PIXEL

    def inbound() -> tuple[str, str, list[str]] | None:
        return db.execute(
            "select id::text, conversation_id::text, media_urls from public.messages"
            " where contact_id = %s and direction = 'inbound'",
            (contact.id,),
        ).fetchone()

    row = wait_for(
        inbound,
        lambda row: bool(row and row[2][0].startswith("message-media/")),
        seconds=15,
        what="the picture copied",
    )
    assert row is not None
    message_id, conversation_id, keys = row
    assert keys == [f"message-media/inbound/{message_id}/0.png"]

    organizer = make_organizer(db)
    staff = make_client(access_token=make_token(organizer, role="authenticated"))
    bucket = staff.storage.from_("message-media")
    assert bucket.download(keys[0].removeprefix("message-media/")) == PIXEL
    signed = bucket.create_signed_url(keys[0].removeprefix("message-media/"), 60)
    assert httpx.get(signed["signedURL"], timeout=10).content == PIXEL

    path = f"outbound/{conversation_id}/{uuid.uuid4().hex}.png"
    bucket.upload(path, PIXEL, {"content-type": "image/png"})
    reply = staff.rpc(
        "send_conversation_reply",
        {
            "p_conversation_id": conversation_id,
            "p_body": "Here is the map",
            "p_media_urls": [f"message-media/{path}"],
        },
    ).execute()
    assert isinstance(reply.data, dict)

    def delivered() -> bool:
        row = db.execute(
            "select status::text from public.messages where id = %s", (reply.data["id"],)
        ).fetchone()
        return row == ("delivered",)

    eventually(delivered, 20, "the reply with its image delivered")
    [sent] = [r for r in system.sim.sms() if r["to"] == contact.phone]
    [sent_url] = sent["media_urls"]
    assert "/storage/v1/object/sign/message-media/outbound/" in sent_url
    assert httpx.get(sent_url, timeout=10).content == PIXEL
    del sender_id
