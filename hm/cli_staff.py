"""`hm staff …`: staff logins and role levels (with the service key)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hm.cli_errors import exit_on_error
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings

staff_app = typer.Typer(help="Staff accounts and role levels.", no_args_is_help=True)
console = Console()

Role = Annotated[str, typer.Option("--role", help="volunteer, organizer, admin or owner.")]


def _api() -> ServiceApi:
    return ServiceApi(SupabaseServiceSettings())


@staff_app.command("add")
@exit_on_error
def add(
    email: Annotated[str, typer.Argument(help="Login email of the new staff member.")],
    role: Role,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Create a staff login and print its one-time password (shown only now)."""
    with _api() as api:
        created = staff.add_staff(api, email, role, name)
    console.print(f"added {created.member.email} as {created.member.level}")
    console.print(f"one-time password: [bold]{created.password}[/bold]")
    console.print("Hand it over privately; ask them to change it after signing in.")


@staff_app.command("invite")
@exit_on_error
def invite(
    email: Annotated[str, typer.Argument(help="Login email of the person to invite.")],
    role: Role,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Email an invitation with a set-password link (sent by the worker; again = resend)."""
    with _api() as api:
        invitation = staff.invite(api, email, role, name)
    console.print(f"invited {invitation.email} as {invitation.level} ({invitation.status})")


@staff_app.command("reset-password")
@exit_on_error
def reset_password(
    email: Annotated[str, typer.Argument(help="Staff member's login email.")],
) -> None:
    """Email a staff member a link to set a new password (sent by the worker)."""
    with _api() as api:
        invitation = staff.request_password_reset(api, email)
    console.print(f"password reset for {invitation.email} is {invitation.status}")


@staff_app.command("list")
@exit_on_error
def list_() -> None:
    """List staff with their level and status."""
    with _api() as api:
        members = staff.list_staff(api)
    table = Table("email", "level", "status", "name")
    for member in members:
        table.add_row(member.email, member.level, member.status, member.display_name or "")
    console.print(table)


@staff_app.command("set-role")
@exit_on_error
def set_role(
    email: Annotated[str, typer.Argument(help="Staff member's login email.")],
    role: Annotated[str, typer.Argument(help="volunteer, organizer, admin or owner.")],
) -> None:
    """Change a staff member's level."""
    with _api() as api:
        member = staff.set_role(api, email, role)
    console.print(f"{member.email} is now {member.level}")


@staff_app.command("disable")
@exit_on_error
def disable(email: Annotated[str, typer.Argument(help="Staff member's login email.")]) -> None:
    """Remove a staff member's rights (the login stays; re-enable with `hm staff enable`)."""
    with _api() as api:
        member = staff.set_status(api, email, "disabled")
    console.print(f"{member.email} is {member.status}")


@staff_app.command("enable")
@exit_on_error
def enable(email: Annotated[str, typer.Argument(help="Staff member's login email.")]) -> None:
    """Give a disabled staff member their rights back."""
    with _api() as api:
        member = staff.set_status(api, email, "active")
    console.print(f"{member.email} is {member.status}")
