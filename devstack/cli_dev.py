"""`hm dev …`: the whole system on one machine — the stack plus every process around it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.panel import Panel

from devstack.stack.config import StackConfig
from devstack.status_table import print_status
from hm.cli_errors import exit_on_error

dev_app = typer.Typer(
    help="Run the whole system locally (what scripts/run starts).", no_args_is_help=True
)
console = Console()

# The logins supabase/seeds/10-people-events.sql creates.
DEMO_LOGINS = (
    ("owner", "owner@hellomiami.local"),
    ("admin", "admin@hellomiami.local"),
    ("organizer", "organizer@hellomiami.local"),
    ("volunteer", "volunteer@hellomiami.local"),
    ("print station", "station@devices.hellomiami.local"),
)
DEMO_PASSWORD = "hellomiami-demo"
# The event supabase/seeds/10-people-events.sql opens for check-in tonight.
DEMO_EVENT_SLUG = "tonight-hello-miami"


@dev_app.command()
@exit_on_error
def up() -> None:
    """Start everything (idempotent) and print what to open and how to log in."""
    # Imported here: the Pi installs `hm` without the workers' and the stack's dependencies.
    from devstack.dev import DevSystem

    config = StackConfig.from_environment()
    system = DevSystem(config)
    print_status(console, system.up())
    web = system.web_app.url
    lines = [
        f"Web app:            [bold]{web}/[/]",
        f"  staff sign-in:    {web}/sign-in",
        f"  self check-in:    {web}/e/{DEMO_EVENT_SLUG}  (the venue poster's link)",
        f"API (Supabase URL): [bold]{config.api_url}[/]",
        f"Database:           {config.db_url()}",
        f"anon key:           {config.anon_key}",
        f"service_role key:   {config.service_role_key}",
        f"Texts and emails sent, reply as a contact: [bold]{system.messaging.simulator.url}/[/]",
        "",
        "Demo staff logins for the web app (password [bold]" + DEMO_PASSWORD + "[/]):",
        *(f"  {role:<14} {email}" for role, email in DEMO_LOGINS),
        "  The owner and admin need two-factor sign-in for admin screens: their first visit",
        "  to one shows a QR code to scan with an authenticator app (or its key to type in),",
        "  then asks for its 6-digit code at each sign-in. An owner resets it on the Staff page.",
        "",
        "Environment for clients: [bold].venv/bin/hm stack env[/]",
        "What runs, and is it well: [bold].venv/bin/hm dev status[/]",
        "Stop everything:         [bold].venv/bin/hm dev down[/]",
    ]
    console.print(Panel("\n".join(lines), title="Hello Miami is running"))


@dev_app.command()
@exit_on_error
def status() -> None:
    """Show every process of `hm dev up` with its pid, address and health. Exit code 1 when any
    is down or unhealthy."""
    from devstack.dev import DevSystem

    statuses = DevSystem(StackConfig.from_environment()).status()
    print_status(console, statuses)
    if not all(status.healthy for status in statuses):
        raise typer.Exit(1)


@dev_app.command()
@exit_on_error
def down() -> None:
    """Stop everything `hm dev up` started."""
    from devstack.dev import DevSystem

    stopped = DevSystem(StackConfig.from_environment()).down()
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
