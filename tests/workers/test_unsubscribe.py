"""Unsubscribe that works: the one-click endpoint of the webhook server, forged tokens refused by
the database whatever they look like (property test), and a marketing email sent by a worker
whose List-Unsubscribe header, posted to, opts its recipient out."""

from __future__ import annotations

import secrets
import string
from urllib.parse import urlencode

import httpx
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devstack.simulators import scenario
from devstack.stack.manager import LocalStack
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.fakes import RecordingStore
from tests.workers.flow_helpers import Connection, blast_is_final
from tests.workers.test_webhook_app import client

ONE_CLICK = urlencode({"List-Unsubscribe": "One-Click"})
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_one_click_post_reaches_the_store() -> None:
    store = RecordingStore()
    async with client(store) as http:
        response = await http.post("/unsubscribe?t=u1.abc", content=ONE_CLICK, headers=FORM)
    assert response.status_code == 200
    assert response.json() == {"unsubscribed": True, "changed": True}
    assert store.calls == [("one_click_unsubscribe", ("u1.abc",))]


async def test_a_post_without_the_one_click_body_changes_nothing() -> None:
    store = RecordingStore()
    async with client(store) as http:
        response = await http.post("/unsubscribe?t=u1.abc", content="", headers=FORM)
    assert (response.status_code, response.json()) == (400, {"error": "not_one_click"})
    assert store.calls == []


async def test_a_refused_token_is_answered_with_its_code() -> None:
    async with client(RecordingStore()) as http:
        response = await http.post("/unsubscribe?t=forged", content=ONE_CLICK, headers=FORM)
    assert (response.status_code, response.json()) == (400, {"error": "invalid_token"})


@pytest.fixture(scope="module")
def token_holder(stack_db_url: str) -> tuple[str, str]:
    """An opted-in contact and a valid token for them (minted by the database)."""
    with psycopg.connect(stack_db_url, autocommit=True) as db:
        [contact] = scenario.create_contacts(db, 1)
        row = db.execute(
            "select private.make_unsubscribe_token(%s, null, now() + interval '1 day')",
            (contact.id,),
        ).fetchone()
    assert row is not None
    return contact.id, str(row[0])


@pytest.fixture(scope="module")
def stack_db_url(stack: LocalStack) -> str:
    return stack.config.db_url()


def mutations(token: str) -> st.SearchStrategy[str]:
    """Tokens an attacker could try: one character changed, cut short, extended, re-signed with
    a guess, or anything at all."""
    alphabet = string.hexdigits.lower() + string.ascii_letters + ".-_"
    one_changed = st.tuples(st.integers(0, len(token) - 1), st.sampled_from(alphabet)).map(
        lambda change: token[: change[0]] + change[1] + token[change[0] + 1 :]
    )
    cut = st.integers(0, len(token) - 1).map(lambda n: token[:n])
    extended = st.text(alphabet, min_size=1, max_size=8).map(lambda tail: token + tail)
    guessed = st.text("0123456789abcdef", min_size=64, max_size=64).map(
        lambda signature: token.rsplit(".", 1)[0] + "." + signature
    )
    # Anything a request can carry to the database: UTF-8 text (a lone surrogate cannot be
    # encoded, so no client can send one) without NUL (PostgreSQL text cannot hold it; psycopg
    # and PostgREST refuse it before the database sees it).
    anything = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200)
    return st.one_of(one_changed, cut, extended, guessed, anything)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_forged_tokens_are_refused_and_change_nothing(
    data: st.DataObject, token_holder: tuple[str, str], stack_db_url: str
) -> None:
    contact_id, token = token_holder
    forged = data.draw(mutations(token).filter(lambda candidate: candidate != token))
    with psycopg.connect(stack_db_url, autocommit=True) as db:
        with pytest.raises(psycopg.errors.RaiseException) as refused:
            db.execute("select public.one_click_unsubscribe(%s)", (forged,))
        assert refused.value.diag.message_primary in ("invalid_token", "expired_token")
        row = db.execute(
            "select status::text from public.contact_consents"
            " where contact_id = %s and channel = 'email'",
            (contact_id,),
        ).fetchone()
    assert row == ("opted_in",), "a refused token changed nothing"


@pytest.mark.slow
def test_a_marketing_email_unsubscribes_with_one_click(system: System, db: Connection) -> None:
    email_sender_id = scenario.create_email_sender(db)
    contacts = scenario.create_contacts(db, 2)
    blast_id = scenario.create_blast(
        db, channel="email", contacts=contacts, email_sender_id=email_sender_id
    )
    system.start_worker(f"unsub-{secrets.token_hex(2)}")
    scenario.start_blast(db, blast_id)
    eventually(lambda: blast_is_final(db, blast_id), 60, "emails sent")
    emails = [e for e in system.sim.emails() if e["to"][0] in {c.email for c in contacts}]
    first = emails[0]
    headers = {h["name"]: h["value"] for h in first["headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(system.messaging.webhook_url + "/unsubscribe?t=u1.")
    assert url.split("t=", 1)[1] in first["text"], "the body links the preference page with it"
    # The HTML part (public.email_html, through claim version 2) links it too.
    assert first["html"].startswith("<!DOCTYPE html>")
    assert url.split("t=", 1)[1] in first["html"]
    assert "{{unsubscribe_url}}" not in first["html"]

    response = httpx.post(url, content=ONE_CLICK, headers=FORM, timeout=10)
    assert response.json() == {"unsubscribed": True, "changed": True}
    row = db.execute(
        "select cc.status::text, cc.source::text from public.contact_consents cc"
        " join public.contacts c on c.id = cc.contact_id"
        " where lower(c.email) = %s and cc.channel = 'email'",
        (first["to"][0],),
    ).fetchone()
    assert row == ("opted_out", "email_unsubscribe")
