"""`hm dev …`: the whole system on one machine — the stack plus every process around it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.panel import Panel

from hm.cli_errors import exit_on_error
from hm.stack.config import StackConfig
from hm.stack.manager import LocalStack

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


@dev_app.command()
@exit_on_error
def up() -> None:
    """Start everything (idempotent) and print what to open and how to log in."""
    config = StackConfig.from_environment()
    stack = LocalStack(config)
    statuses = stack.up()
    lines = [f"[bold]{s.name}[/] pid {s.pid}  {s.address}" for s in statuses]
    lines += [
        "",
        f"API (Supabase URL): [bold]{config.api_url}[/]",
        f"Database:           {config.db_url()}",
        f"anon key:           {config.anon_key}",
        f"service_role key:   {config.service_role_key}",
        "",
        "Demo staff logins (password [bold]" + DEMO_PASSWORD + "[/]):",
        *(f"  {role:<14} {email}" for role, email in DEMO_LOGINS),
        "",
        "Environment for clients: [bold].venv/bin/hm stack env[/]",
        "Stop everything:         [bold].venv/bin/hm dev down[/]",
    ]
    console.print(Panel("\n".join(lines), title="Hello Miami is running"))


@dev_app.command()
@exit_on_error
def down() -> None:
    """Stop everything `hm dev up` started."""
    stopped = LocalStack(StackConfig.from_environment()).down()
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
