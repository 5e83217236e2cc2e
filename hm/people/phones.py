"""Phone numbers in E.164, the form contacts store (`+13055550123`)."""

from __future__ import annotations

import phonenumbers

from hm.errors import HmError

DEFAULT_REGION = "US"


class InvalidPhoneError(HmError):
    """Text that is not a possible phone number."""


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 for anything a person types (`(305) 555-0123`, `+1 305 555 0123`, `13055550123`).

    Checks that the number is *possible* (right length for its country), not that it is
    assigned: fictional 555-01xx numbers used in demos and tests must pass.
    """
    text = raw.strip()
    if not text:
        raise InvalidPhoneError("empty phone number")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneError(f"not a phone number: {raw!r}") from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneError(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
