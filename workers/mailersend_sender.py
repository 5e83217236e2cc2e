"""EmailSender on the official mailersend SDK (real MailerSend, or the simulator via base URL)."""

from __future__ import annotations

from html import escape
from typing import Any

from mailersend import AsyncMailerSendClient
from mailersend.exceptions import (
    AuthenticationError,
    MailerSendError,
    RateLimitExceeded,
    ServerError,
)
from mailersend.models.email import EmailRequest
from pydantic import ValidationError

from workers.ports import (
    BulkStatus,
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
)

# Where the database's renderers put a marketing email's unsubscribe link (the claim cannot know
# the worker's URL). In the HTML part (public.email_html) everything a person typed is escaped,
# so this exact attribute, quotes included, can only be the layout's own; in the plain-text part
# (public.email_text) the unsubscribe line is always the last, so only the trailing placeholder
# is ours.
UNSUBSCRIBE_URL_PLACEHOLDER = "{{unsubscribe_url}}"
UNSUBSCRIBE_HREF_PLACEHOLDER = f'href="{UNSUBSCRIBE_URL_PLACEHOLDER}"'


class MailerSendEmailSender:
    def __init__(
        self, api_key: str, base_url: str, unsubscribe_url: str, one_click_url: str
    ) -> None:
        """`unsubscribe_url`: the preference page, `one_click_url`: the webhook server's RFC 8058
        endpoint; both with a `{token}` placeholder for the message's signed token."""
        # No SDK-level retries: a repeated send would be a duplicate email, so we decide.
        self.client = AsyncMailerSendClient(api_key=api_key, base_url=base_url, max_retries=0)
        self.unsubscribe_url = unsubscribe_url
        self.one_click_url = one_click_url

    async def close(self) -> None:
        await self.client.close()

    def request_for(self, message: OutboundMessage) -> EmailRequest:
        """The email as MailerSend takes it: the plain-text part (the claim's rendering, else the
        body) and, when the claim rendered one, the HTML part; marketing mail carries an
        unsubscribe link in both (the claim's renderers place it, in the recipient's language)
        and a List-Unsubscribe header (one-click, RFC 8058)."""
        text = message.text_part if message.text_part is not None else message.body
        html = message.html
        fields: dict[str, Any] = {
            "from": {"email": message.from_address, "name": message.from_name},
            "to": [{"email": message.to_address}],
            "subject": message.subject or "",
            "tags": [f"message-{message.id}"]
            + ([f"blast-{message.blast_id}"] if message.blast_id else []),
        }
        if message.is_marketing:
            if not message.unsubscribe_token:
                # Never send marketing mail whose unsubscribe link would not work.
                raise ProviderRejected("no_unsubscribe_token", "marketing email without a token")
            link = self.unsubscribe_url.format(token=message.unsubscribe_token)
            one_click = self.one_click_url.format(token=message.unsubscribe_token)
            # Only the claim's rendering: a body a person typed may end with the placeholder too.
            if message.text_part is None or not text.endswith(UNSUBSCRIBE_URL_PLACEHOLDER):
                raise ProviderRejected("no_unsubscribe_link", "marketing text without its link")
            text = text.removesuffix(UNSUBSCRIBE_URL_PLACEHOLDER) + link
            if html is not None:
                if UNSUBSCRIBE_HREF_PLACEHOLDER not in html:
                    raise ProviderRejected("no_unsubscribe_link", "marketing HTML without its link")
                html = html.replace(UNSUBSCRIBE_HREF_PLACEHOLDER, f'href="{escape(link)}"')
            fields["headers"] = [
                {"name": "List-Unsubscribe", "value": f"<{one_click}>"},
                {"name": "List-Unsubscribe-Post", "value": "List-Unsubscribe=One-Click"},
            ]
            fields["precedence_bulk"] = True
        fields["text"] = text
        if html is not None:
            fields["html"] = html
        try:
            return EmailRequest(**fields)
        except ValidationError as error:
            raise ProviderRejected("invalid_email", str(error.errors(include_url=False))) from error

    async def send(self, message: OutboundMessage) -> str:
        response = await self._call(self.client.emails.send(self.request_for(message)))
        return str(response.data["id"])

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        requests = [self.request_for(message) for message in messages]
        response = await self._call(self.client.emails.send_bulk(requests))
        return str(response.data["bulk_email_id"])

    async def bulk_status(self, bulk_id: str) -> BulkStatus:
        response = await self._call(self.client.emails.get_bulk_status(bulk_id))
        data = response.data["data"]
        return BulkStatus(
            state=str(data["state"]),
            message_ids=[str(item) for item in data.get("messages_id") or []],
            validation_errors=dict(data.get("validation_errors") or {}),
        )

    @staticmethod
    async def _call(pending: Any) -> Any:
        try:
            return await pending
        except RateLimitExceeded as error:
            raise ProviderThrottled(_retry_after(error), error.message) from error
        except AuthenticationError as error:
            # Our API key, not the email: never processed, so retry once fixed.
            raise ProviderThrottled(60.0, f"MailerSend refused our key: {error.message}") from error
        except ServerError as error:
            raise ProviderAmbiguous(error.message) from error
        except MailerSendError as error:
            status = getattr(error.response, "status_code", None)
            if status is None:  # transport failure: it may have been accepted
                raise ProviderAmbiguous(error.message) from error
            raise ProviderRejected(str(status), error.message) from error


def _retry_after(error: RateLimitExceeded) -> float | None:
    headers = getattr(error.response, "headers", None) or {}
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
