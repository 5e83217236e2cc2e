"""The invitation sender's decisions over fakes of its ports: what is recorded when the
sender identity, Auth or the email provider fails, and what the email and link say."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from supabase_auth.errors import AuthApiError

from workers.invitations import (
    InvitationRequest,
    InvitationSender,
    invitation_email,
    set_password_link,
)
from workers.ports import BulkStatus, OutboundMessage, ProviderRejected

REQUEST = InvitationRequest(
    id="inv-1",
    purpose="invite",
    email="nora@example.com",
    level="organizer",
    display_name="Nora",
    user_id=None,
    from_email="team@hellomiami.org",
    from_name="Hello Miami",
)


@dataclass
class FakeStore:
    requests: list[InvitationRequest] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    async def claim(self, limit: int, lease_seconds: int) -> list[InvitationRequest]:
        claimed, self.requests = self.requests, []
        return claimed

    async def record_sent(self, invitation_id: str, user_id: str) -> None:
        self.sent.append((invitation_id, user_id))

    async def record_failed(self, invitation_id: str, error: str) -> None:
        self.failed.append((invitation_id, error))


@dataclass
class FakeLogins:
    refuse: bool = False
    passwords: list[str] = field(default_factory=list)

    async def set_one_time_password(self, request: InvitationRequest, password: str) -> str:
        if self.refuse:
            raise AuthApiError(
                "A user with this email address has already been registered", 422, "email_exists"
            )
        self.passwords.append(password)
        return request.user_id or "user-1"


@dataclass
class FakeEmail:
    reject: bool = False
    sent: list[OutboundMessage] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str:
        if self.reject:
            raise ProviderRejected("422", "The to.0.email must be a valid email address.")
        self.sent.append(message)
        return "ms-1"

    async def send_bulk(self, messages: list[OutboundMessage]) -> str:
        raise AssertionError("invitations are sent one by one")

    async def bulk_status(self, bulk_id: str) -> BulkStatus:
        raise AssertionError("invitations are sent one by one")


def sender(store: FakeStore, logins: FakeLogins, email: FakeEmail) -> InvitationSender:
    return InvitationSender(store, logins, email, "https://app.hellomiami.org/")


async def test_a_sent_invitation_carries_the_new_password_in_the_link() -> None:
    store, logins, email = FakeStore([REQUEST]), FakeLogins(), FakeEmail()
    assert await sender(store, logins, email).run_once() == 1
    assert store.sent == [("inv-1", "user-1")]
    [message] = email.sent
    assert message.to_address == "nora@example.com"
    assert message.from_address == "team@hellomiami.org"
    assert not message.is_marketing
    link = set_password_link("https://app.hellomiami.org/", "nora@example.com", logins.passwords[0])
    assert link in message.body
    assert "organizer" in message.body
    assert "Elige tu contraseña" in message.body


async def test_each_failure_is_recorded_with_its_reason_and_nothing_marked_sent() -> None:
    no_sender = InvitationRequest(**{**REQUEST.__dict__, "from_email": None})
    store = FakeStore([no_sender])
    logins = FakeLogins()
    await sender(store, logins, FakeEmail()).run_once()
    assert store.failed == [("inv-1", "no enabled email sender: add one under Senders")]
    assert logins.passwords == [], "no login is touched without a sender"

    store = FakeStore([REQUEST])
    await sender(store, FakeLogins(refuse=True), FakeEmail()).run_once()
    assert store.failed[0][1].startswith("auth: A user with this email")

    store = FakeStore([REQUEST])
    await sender(store, FakeLogins(), FakeEmail(reject=True)).run_once()
    assert store.failed[0][1].startswith("email: 422")
    assert store.sent == []


def test_the_link_keeps_the_code_in_the_fragment() -> None:
    link = set_password_link("https://app.hellomiami.org", "a+b@example.com", "x/y=z")
    parts = urlsplit(link)
    assert parts.path == "/set-password"
    assert parts.query == ""
    assert parse_qs(parts.fragment) == {"email": ["a+b@example.com"], "code": ["x/y=z"]}


def test_a_reset_email_says_so() -> None:
    reset = InvitationRequest(**{**REQUEST.__dict__, "purpose": "password_reset"})
    message = invitation_email(reset, "https://app/set-password#x")
    assert message.subject is not None
    assert "password" in message.subject
    assert "nueva contraseña" in message.body
