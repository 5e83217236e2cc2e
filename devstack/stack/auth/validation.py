"""Email and phone input rules, as GoTrue applies them before touching a user."""

from __future__ import annotations

import re

from devstack.stack.auth.errors import validation_failed

# The format check GoTrue uses (badoux/checkmail): a local part of RFC 5322 atext and dots, and a
# host of dot-separated labels of at most 63 letters, digits and inner hyphens.
_EMAIL = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)
# E.164 without the plus: GoTrue stores phones as digits only.
_E164 = re.compile(r"^[1-9][0-9]{1,14}$")
MAX_EMAIL_LENGTH = 255


def normalise_email(email: str) -> str:
    """The stored form (lower case) of a valid address; validation_failed otherwise."""
    if email == "":
        raise validation_failed("An email address is required")
    if len(email) > MAX_EMAIL_LENGTH:
        raise validation_failed("An email address is too long")
    if not _EMAIL.fullmatch(email):
        raise validation_failed("Unable to validate email address: invalid format")
    return email.lower()


def normalise_phone(phone: str) -> str:
    """The stored form of a phone number: no leading '+', no spaces, E.164 digits."""
    digits = phone.removeprefix("+").replace(" ", "")
    if not _E164.fullmatch(digits):
        raise validation_failed("Invalid phone number format (E.164 required)")
    return digits
