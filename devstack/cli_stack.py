"""`hm stack …`: the local Supabase stand-in."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from devstack.stack.config import StackConfig
from devstack.stack.manager import LocalStack, ServiceStatus
from hm.cli_errors import exit_on_error

stack_app = typer.Typer(
    help="Run the local Supabase stack (Postgres, PostgREST, gateway).", no_args_is_help=True
)
console = Console()


def _print_status(statuses: list[ServiceStatus]) -> None:
    table = Table("service", "state", "pid", "address")
    for status in statuses:
        state = "[green]running[/]" if status.running else "[red]stopped[/]"
        table.add_row(status.name, state, str(status.pid or "-"), status.address)
    console.print(table)


@stack_app.command()
@exit_on_error
def up() -> None:
    """Start the stack (idempotent): database, migrations, seed when fresh, PostgREST, gateway."""
    stack = LocalStack(StackConfig.from_environment())
    _print_status(stack.up())
    console.print(f"API: {stack.config.api_url}   Database: {stack.config.db_url()}")
    console.print("Keys and URLs for clients: [bold]hm stack env[/]")


@stack_app.command()
@exit_on_error
def down() -> None:
    """Stop the processes `up` started (by their recorded pids)."""
    stopped = LocalStack(StackConfig.from_environment()).down()
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@stack_app.command()
@exit_on_error
def status() -> None:
    """Show which services run, with their pids and addresses. Exit code 1 when any is down."""
    statuses = LocalStack(StackConfig.from_environment()).status()
    _print_status(statuses)
    if not all(status.running for status in statuses):
        raise typer.Exit(1)


@stack_app.command()
@exit_on_error
def reset(
    seed: bool = typer.Option(True, help="Load supabase/seed.sql after migrating."),
) -> None:
    """Recreate the database from the platform layer, migrations and seed; restart services."""
    _print_status(LocalStack(StackConfig.from_environment()).reset(seed=seed))


@stack_app.command()
def env() -> None:
    """Print SUPABASE_* settings in dotenv form (`eval $(hm stack env)` or `> .env`)."""
    for name, value in StackConfig.from_environment().client_env().items():
        typer.echo(f"{name}={value}")
