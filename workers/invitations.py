"""Staff invitations and password resets: the one part of staff management that needs the
service role, so it runs here and never in the browser.

An admin inserts a `staff_invitations` row under RLS. This loop claims pending rows
(`claim_staff_invitations`), gives the login a fresh one-time password through GoTrue's admin
API (creating the login for an invitee), and emails a set-password link through our MailerSend
path. The password travels only in the link's fragment: browsers never send a fragment to a
server, and the database never sees it. A newer request for the same email supersedes the older
one and replaces the password, which is what kills an older link."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from supabase import AsyncClient
from supabase_auth.errors import AuthError

from hm.people.service_api import new_password
from workers.claim_loop import poll_until_stopped
from workers.ports import (
    EmailSender,
    OutboundMessage,
    ProviderAmbiguous,
    ProviderRejected,
    ProviderThrottled,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InvitationRequest:
    """One claimed row of `claim_staff_invitations`."""

    id: str
    purpose: str
    email: str
    level: str
    display_name: str | None
    user_id: str | None
    from_email: str | None
    from_name: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> InvitationRequest:
        return cls(
            id=str(row["id"]),
            purpose=str(row["purpose"]),
            email=str(row["email"]),
            level=str(row["level"]),
            display_name=row.get("display_name"),
            user_id=str(row["user_id"]) if row.get("user_id") else None,
            from_email=row.get("from_email"),
            from_name=row.get("from_name"),
        )


class InvitationFailed(Exception):
    """This attempt failed; the database retries it (up to five attempts) and shows the reason."""


class InvitationStore(Protocol):
    async def claim(self, limit: int, lease_seconds: int) -> list[InvitationRequest]: ...

    async def record_sent(self, invitation_id: str, user_id: str) -> None: ...

    async def record_failed(self, invitation_id: str, error: str) -> None: ...


class StaffLogins(Protocol):
    async def set_one_time_password(self, request: InvitationRequest, password: str) -> str:
        """Create the invitee's login (or update the existing one) with this password; returns
        the Auth user id."""


class SupabaseInvitationStore:
    """The three worker functions over PostgREST with the service role."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def claim(self, limit: int, lease_seconds: int) -> list[InvitationRequest]:
        response = await self.client.rpc(
            "claim_staff_invitations", {"p_limit": limit, "p_lease_seconds": lease_seconds}
        ).execute()
        rows: list[dict[str, Any]] = response.data or []  # type: ignore[assignment]
        return [InvitationRequest.from_row(row) for row in rows]

    async def record_sent(self, invitation_id: str, user_id: str) -> None:
        await self.client.rpc(
            "record_staff_invitation_sent", {"p_id": invitation_id, "p_user_id": user_id}
        ).execute()

    async def record_failed(self, invitation_id: str, error: str) -> None:
        await self.client.rpc(
            "record_staff_invitation_failed", {"p_id": invitation_id, "p_error": error}
        ).execute()


class SupabaseStaffLogins:
    """GoTrue's admin users API through supabase-py (the service role's)."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def set_one_time_password(self, request: InvitationRequest, password: str) -> str:
        admin = self.client.auth.admin
        if request.user_id:
            await admin.update_user_by_id(request.user_id, {"password": password})
            return request.user_id
        metadata = {"display_name": request.display_name} if request.display_name else {}
        created = await admin.create_user(
            {
                "email": request.email,
                "password": password,
                "email_confirm": True,
                "user_metadata": metadata,
            }
        )
        return str(created.user.id)


def set_password_link(app_url: str, email: str, password: str) -> str:
    """The SPA's set-password page; email and one-time password ride in the fragment."""
    return f"{app_url.rstrip('/')}/set-password#{urlencode({'email': email, 'code': password})}"


def invitation_email(request: InvitationRequest, link: str) -> OutboundMessage:
    """The email in English and Spanish (we do not know the invitee's language yet)."""
    if request.purpose == "invite":
        subject = "You're invited to Hello Miami staff · Invitación al equipo de Hello Miami"
        english = (
            f"You have been invited to Hello Miami as {request.level}. "
            f"Choose your password here (the link works for 7 days):\n{link}"
        )
        spanish = (
            f"Te invitaron al equipo de Hello Miami como {request.level}. "
            f"Elige tu contraseña aquí (el enlace vale 7 días):\n{link}"
        )
    else:
        subject = "Set a new Hello Miami password · Nueva contraseña de Hello Miami"
        english = f"An admin asked for a new password for you. Choose it here:\n{link}"
        spanish = f"Un administrador pidió una nueva contraseña para ti. Elígela aquí:\n{link}"
    return OutboundMessage(
        id=request.id,
        channel="email",
        to_address=request.email,
        subject=subject,
        body=f"{english}\n\n{spanish}",
        from_address=request.from_email,
        from_name=request.from_name,
    )


class InvitationSender:
    """Claim, create or update the login, email the link, record the outcome."""

    def __init__(
        self,
        store: InvitationStore,
        logins: StaffLogins,
        email: EmailSender,
        app_url: str,
        poll_interval: float = 2.0,
        lease_seconds: int = 60,
    ) -> None:
        self.store = store
        self.logins = logins
        self.email = email
        self.app_url = app_url
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds

    async def run(self, stop: asyncio.Event) -> None:
        await poll_until_stopped(stop, self.run_once, self.poll_interval, "invitations")

    async def run_once(self) -> int:
        """Handle every claimable request; returns how many were claimed."""
        requests = await self.store.claim(10, self.lease_seconds)
        for request in requests:
            await self.handle(request)
        return len(requests)

    async def handle(self, request: InvitationRequest) -> None:
        try:
            user_id = await self.send(request)
        except InvitationFailed as error:
            log.warning("invitations: %s to %s failed: %s", request.purpose, request.email, error)
            await self.store.record_failed(request.id, str(error))
            return
        await self.store.record_sent(request.id, user_id)

    async def send(self, request: InvitationRequest) -> str:
        if not request.from_email:
            raise InvitationFailed("no enabled email sender: add one under Senders")
        password = new_password()
        try:
            user_id = await self.logins.set_one_time_password(request, password)
        except AuthError as error:  # refusals and transport failures alike (AuthRetryableError)
            raise InvitationFailed(f"auth: {error}") from error
        link = set_password_link(self.app_url, request.email, password)
        try:
            await self.email.send(invitation_email(request, link))
        except (ProviderRejected, ProviderThrottled, ProviderAmbiguous) as error:
            raise InvitationFailed(f"email: {error}") from error
        return user_id
