"""Staff accounts: a login created through the Auth admin API plus a staff row at a level.

The rules (owners manage all staff, admins all but owners, never zero owners) live in the SQL
functions add_staff / set_staff_level / set_staff_status; this module only calls them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hm.errors import HmError
from hm.people.service_api import ServiceApi, new_password

LEVELS = ("volunteer", "organizer", "admin", "owner")


@dataclass(frozen=True)
class StaffMember:
    user_id: str
    email: str
    level: str
    status: str
    display_name: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StaffMember:
        return cls(
            user_id=str(row["user_id"]),
            email=str(row["email"]),
            level=str(row["level"]),
            status=str(row["status"]),
            display_name=row.get("display_name"),
        )


@dataclass(frozen=True)
class NewStaff:
    member: StaffMember
    password: str


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise HmError(f"unknown role {level!r}: choose one of {', '.join(LEVELS)}")
    return level


def add_staff(api: ServiceApi, email: str, level: str, display_name: str | None = None) -> NewStaff:
    """Create the login with a one-time password and make it staff at `level`."""
    check_level(level)
    password = new_password()
    user = api.create_auth_user(
        email, password, {"display_name": display_name} if display_name else None
    )
    try:
        api.rpc(
            "add_staff",
            {"p_user_id": user.id, "p_level": level, "p_display_name": display_name},
        )
    except HmError:
        # Without a staff row the login would be a stray account: remove it, then report.
        api.delete_auth_user(user.id)
        raise
    return NewStaff(StaffMember(user.id, user.email, level, "active", display_name), password)


def list_staff(api: ServiceApi) -> list[StaffMember]:
    return [StaffMember.from_row(row) for row in api.rpc("list_staff", {})]


def find_staff(api: ServiceApi, email: str) -> StaffMember:
    wanted = email.strip().lower()
    for member in list_staff(api):
        if member.email.lower() == wanted:
            return member
    raise HmError(f"no staff member with email {email}")


def set_role(api: ServiceApi, email: str, level: str) -> StaffMember:
    check_level(level)
    member = find_staff(api, email)
    api.rpc("set_staff_level", {"p_user_id": member.user_id, "p_level": level})
    return find_staff(api, email)


@dataclass(frozen=True)
class Invitation:
    id: str
    purpose: str
    email: str
    level: str
    status: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Invitation:
        return cls(
            id=str(row["id"]),
            purpose=str(row["purpose"]),
            email=str(row["email"]),
            level=str(row["level"]),
            status=str(row["status"]),
        )


def invite(api: ServiceApi, email: str, level: str, display_name: str | None = None) -> Invitation:
    """Ask the invitations worker to create the login and email a set-password link (the same
    staff_invitations row an admin inserts from the app; inviting again is a resend)."""
    check_level(level)
    row = {"email": email, "level": level, "display_name": display_name}
    return Invitation.from_row(api.insert("staff_invitations", row))


def request_password_reset(api: ServiceApi, email: str) -> Invitation:
    """Ask the invitations worker to email a staff member a link to set a new password."""
    row = {"purpose": "password_reset", "email": email}
    return Invitation.from_row(api.insert("staff_invitations", row))


def set_status(api: ServiceApi, email: str, status: str) -> StaffMember:
    member = find_staff(api, email)
    api.rpc("set_staff_status", {"p_user_id": member.user_id, "p_status": status})
    return find_staff(api, email)
