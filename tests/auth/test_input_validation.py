"""Property-based tests of the phone and email rules, in the service and on the wire."""

from __future__ import annotations

import re

import httpx
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devstack.stack.auth.errors import AuthApiError
from devstack.stack.auth.validation import normalise_email, normalise_phone
from devstack.stack.manager import LocalStack

e164_digits = st.from_regex(r"[1-9][0-9]{1,14}", fullmatch=True)


@st.composite
def typed_phone(draw: st.DrawFn) -> tuple[str, str]:
    """A valid number as a person might type it: optional '+', spaces anywhere after it."""
    digits = draw(e164_digits)
    spaced = "".join(digit + draw(st.sampled_from(["", "", " "])) for digit in digits)
    return digits, draw(st.sampled_from(["", "+"])) + spaced


@given(typed_phone())
def test_valid_phones_are_stored_as_bare_digits(case: tuple[str, str]) -> None:
    digits, typed = case
    assert normalise_phone(typed) == digits
    assert normalise_phone(normalise_phone(typed)) == digits


@given(st.text(max_size=25))
def test_anything_else_is_refused_as_validation_failed(text: str) -> None:
    stripped = text.removeprefix("+").replace(" ", "")
    if re.fullmatch(r"[1-9][0-9]{1,14}", stripped, flags=re.ASCII):
        return
    with pytest.raises(AuthApiError) as refused:
        normalise_phone(text)
    assert (refused.value.status, refused.value.error_code) == (400, "validation_failed")


label = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", fullmatch=True)
emails = st.builds(
    lambda local, host, tld: f"{local}@{host}.{tld}",
    st.from_regex(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{1,30}", fullmatch=True),
    label,
    st.from_regex(r"[a-zA-Z]{2,6}", fullmatch=True),
)


@given(emails)
def test_valid_emails_are_lower_cased(email: str) -> None:
    assert normalise_email(email) == email.lower()
    assert normalise_email(normalise_email(email)) == email.lower()


@given(st.text(max_size=40).filter(lambda text: "@" not in text))
def test_text_without_at_sign_is_not_an_email(text: str) -> None:
    with pytest.raises(AuthApiError) as refused:
        normalise_email(text)
    assert refused.value.error_code == "validation_failed"


def test_overlong_email_is_refused() -> None:
    with pytest.raises(AuthApiError) as refused:
        normalise_email("a" * 250 + "@example.com")
    assert refused.value.message == "An email address is too long"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=20))
def test_invalid_phone_on_the_wire_changes_nothing(stack: LocalStack, text: str) -> None:
    stripped = text.removeprefix("+").replace(" ", "")
    if re.fullmatch(r"[1-9][0-9]{1,14}", stripped):
        return
    response = httpx.post(
        f"{stack.config.api_url}/auth/v1/otp",
        json={"phone": text, "create_user": True},
        headers={"apikey": stack.config.anon_key, "X-Forwarded-For": "192.0.2.77"},
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_failed"
    assert response.json()["msg"] == "Invalid phone number format (E.164 required)"
    with psycopg.connect(stack.config.db_url()) as conn:
        sends = conn.execute("select count(*) from auth.sms_sends where ip = '192.0.2.77'")
        assert sends.fetchone() == (0,)
