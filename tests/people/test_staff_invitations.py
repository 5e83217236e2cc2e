"""Staff invitations end to end below the browser: an admin's row under RLS (and `hm staff
invite` / `reset-password`), the worker's admin-API login and MailerSend email through the
simulator, the set-password link's one-time code, acceptance."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import psycopg
import pyotp
import pytest
from supabase import AsyncClientOptions, acreate_client
from typer.testing import Result

from devstack.simulators.process import SimulatorProcess
from devstack.stack.manager import LocalStack
from workers.invitations import InvitationSender, SupabaseInvitationStore, SupabaseStaffLogins
from workers.mailersend_sender import MailerSendEmailSender

APP_URL = "https://app.hellomiami.org"
PASSWORD = re.compile(r"one-time password: (\S+)")
LINK = re.compile(re.escape(APP_URL) + r"/set-password#(\S+)")


@pytest.fixture
async def invitations(
    supabase_env: dict[str, str],
    mail_simulator: SimulatorProcess,
    db: psycopg.Connection[tuple[Any, ...]],
) -> AsyncIterator[InvitationSender]:
    """The worker's invitation sender, run one pass at a time by the test."""
    db.execute(
        "insert into public.senders (name, channel, provider, from_email, from_name)"
        " values ('Staff invitations test', 'email', 'mailersend', 'team@hellomiami.org',"
        " 'Hello Miami') on conflict (name) do nothing"
    )
    email = MailerSendEmailSender(
        "mlsn.simulator",
        f"{mail_simulator.url}/v1/",
        "https://hellomiami.org/unsubscribe?t={token}",
        "https://hooks.hellomiami.org/unsubscribe?t={token}",
    )
    async with httpx.AsyncClient() as http:
        client = await acreate_client(
            supabase_env["SUPABASE_URL"],
            supabase_env["SUPABASE_SERVICE_ROLE_KEY"],
            AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False),
        )
        yield InvitationSender(
            SupabaseInvitationStore(client), SupabaseStaffLogins(client), email, APP_URL
        )
    await email.close()


class Api:
    """What a browser does with the anon key: sign in, then PostgREST and Auth as that user."""

    def __init__(self, stack: LocalStack) -> None:
        self.url = stack.config.api_url
        self.anon = stack.config.anon_key

    def sign_in(self, email: str, password: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}/auth/v1/token?grant_type=password",
            json={"email": email, "password": password},
            headers={"apikey": self.anon},
        )

    def token(self, email: str, password: str) -> str:
        response = self.sign_in(email, password)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def with_second_factor(self, token: str) -> str:
        """Enrol and verify a TOTP factor (as admins must for admin paths); the aal2 token."""
        auth = f"{self.url}/auth/v1/factors"
        factor = httpx.post(auth, json={"factor_type": "totp"}, headers=self.headers(token))
        assert factor.status_code == 200, factor.text
        factor_id, secret = factor.json()["id"], factor.json()["totp"]["secret"]
        challenge = httpx.post(f"{auth}/{factor_id}/challenge", headers=self.headers(token))
        verified = httpx.post(
            f"{auth}/{factor_id}/verify",
            json={"challenge_id": challenge.json()["id"], "code": pyotp.TOTP(secret).now()},
            headers=self.headers(token),
        )
        assert verified.status_code == 200, verified.text
        return str(verified.json()["access_token"])

    def headers(self, token: str) -> dict[str, str]:
        return {"apikey": self.anon, "Authorization": f"Bearer {token}"}

    def invite(self, token: str, email: str, level: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}/rest/v1/staff_invitations",
            json={"email": email, "level": level, "display_name": "Nora"},
            headers=self.headers(token),
        )

    def set_password(self, token: str, password: str) -> httpx.Response:
        return httpx.put(
            f"{self.url}/auth/v1/user", json={"password": password}, headers=self.headers(token)
        )

    def rpc(self, token: str, function: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}/rest/v1/rpc/{function}", json={}, headers=self.headers(token)
        )


def link_codes(simulator: SimulatorProcess, email: str) -> list[str]:
    """The one-time code of every set-password link emailed to `email`, oldest first."""
    records = httpx.get(f"{simulator.url}/_sim/emails", timeout=10).json()
    codes = []
    for record in records:
        if email in record["to"]:
            match = LINK.search(record["text"])
            assert match, record["text"]
            codes.append(parse_qs(match.group(1))["code"][0])
    return codes


async def test_an_admin_invites_and_the_invitee_sets_a_password(
    run_hm: Callable[..., Result],
    stack: LocalStack,
    db: psycopg.Connection[tuple[Any, ...]],
    invitations: InvitationSender,
    mail_simulator: SimulatorProcess,
    unique: str,
) -> None:
    api = Api(stack)
    admin_email = f"admin-{unique}@example.com"
    added = run_hm("staff", "add", admin_email, "--role", "admin")
    match = PASSWORD.search(added.output)
    assert added.exit_code == 0, added.output
    assert match, added.output
    admin = api.with_second_factor(api.token(admin_email, match.group(1)))

    invitee = f"Nora-{unique}@Example.com"
    assert api.invite(admin, invitee, "owner").status_code == 400, "admins cannot invite owners"
    assert api.invite(admin, invitee, "organizer").status_code == 201
    assert await invitations.run_once() >= 1
    invitee = invitee.lower()
    [first_code] = link_codes(mail_simulator, invitee)

    # Resend: a newer row supersedes the first; the worker's new code kills the first link.
    assert api.invite(admin, invitee, "organizer").status_code == 201
    await invitations.run_once()
    codes = link_codes(mail_simulator, invitee)
    assert len(codes) == 2
    assert api.sign_in(invitee, first_code).status_code == 400

    session = api.token(invitee, codes[-1])
    assert api.rpc(session, "my_staff_level").json() is None, "no rights before accepting"
    updated = api.set_password(session, f"my own {unique}")
    assert updated.status_code == 200, updated.text
    accepted = api.rpc(session, "accept_staff_invitation")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"

    own = api.token(invitee, f"my own {unique}")
    assert api.rpc(own, "my_staff_level").json() == "organizer"
    row = db.execute(
        "select s.created_by = a.id, s.display_name from public.staff s"
        " join auth.users u on u.id = s.user_id, auth.users a"
        " where u.email = %s and a.email = %s",
        (invitee, admin_email),
    ).fetchone()
    assert row == (True, "Nora")
    statuses = db.execute(
        "select status from public.staff_invitations where email = %s order by created_at",
        (invitee,),
    ).fetchall()
    assert statuses == [("superseded",), ("accepted",)]


async def test_cli_invites_and_resets_a_password_through_the_same_rows(
    run_hm: Callable[..., Result],
    stack: LocalStack,
    invitations: InvitationSender,
    mail_simulator: SimulatorProcess,
    unique: str,
) -> None:
    api = Api(stack)
    email = f"vol-{unique}@example.com"
    invited = run_hm("staff", "invite", email, "--role", "volunteer")
    assert invited.exit_code == 0, invited.output
    assert f"invited {email} as volunteer (pending)" in invited.output
    await invitations.run_once()
    [code] = link_codes(mail_simulator, email)
    session = api.token(email, code)
    assert api.rpc(session, "accept_staff_invitation").json()["status"] == "active"

    reset = run_hm("staff", "reset-password", email)
    assert reset.exit_code == 0, reset.output
    await invitations.run_once()
    codes = link_codes(mail_simulator, email)
    assert len(codes) == 2
    assert api.sign_in(email, code).status_code == 400, "the reset replaced the old password"
    session = api.token(email, codes[-1])
    assert api.rpc(session, "accept_staff_invitation").json()["level"] == "volunteer"

    again = run_hm("staff", "invite", email, "--role", "admin")
    assert again.exit_code == 1
    assert "already_staff" in again.output
    missing = run_hm("staff", "reset-password", f"nobody-{unique}@example.com")
    assert missing.exit_code == 1
    assert "not_staff" in missing.output
