"""Is this request really from Twilio / MailerSend? Checked before anything is stored."""

from __future__ import annotations

import hashlib
import hmac

from twilio.request_validator import RequestValidator


def twilio_is_signed(
    auth_token: str, public_url: str, params: dict[str, str], signature: str | None
) -> bool:
    """Twilio signs the exact URL it called (our configured public URL, with the query string)
    plus the sorted POST parameters; the SDK's validator does the comparison."""
    if not signature:
        return False
    return bool(RequestValidator(auth_token).validate(public_url, params, signature))


def mailersend_is_signed(secret: str, body: bytes, signature: str | None) -> bool:
    """MailerSend: hex HMAC-SHA256 of the raw body with the webhook's signing secret."""
    if not signature or not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip())
