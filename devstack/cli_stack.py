"""`hm stack …`: the local Supabase stand-in."""

from __future__ import annotations

import typer
from rich.console import Console

from devstack.dev import DevSystem
from devstack.stack.config import StackConfig
from devstack.stack.manager import LocalStack
from devstack.status import stack_status
from devstack.status_table import print_status
from hm.cli_errors import exit_on_error

stack_app = typer.Typer(
    help="Run the local Supabase stack (Postgres, PostgREST, gateway).", no_args_is_help=True
)
console = Console()


@stack_app.command()
@exit_on_error
def up() -> None:
    """Start the stack (idempotent): database, migrations, seed when fresh, PostgREST, gateway."""
    stack = LocalStack(StackConfig.from_environment())
    stack.up()
    print_status(console, stack_status(stack))
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
    """Show the stack's processes with pids, addresses and health, and any other process of
    `hm dev up` that runs (workers, simulator, webhook server, print agent). Exit code 1 when
    one of the stack's is down or unhealthy."""
    config = StackConfig.from_environment()
    statuses = stack_status(LocalStack(config))
    around = [status for status in DevSystem(config).status_around_stack() if status.pid]
    print_status(console, statuses + around)
    if not all(status.healthy for status in statuses):
        raise typer.Exit(1)


@stack_app.command()
@exit_on_error
def reset(
    seed: bool = typer.Option(True, help="Load supabase/seed.sql after migrating."),
) -> None:
    """Recreate the database from the platform layer, migrations and seed; restart services."""
    stack = LocalStack(StackConfig.from_environment())
    stack.reset(seed=seed)
    print_status(console, stack_status(stack))


@stack_app.command()
def env() -> None:
    """Print SUPABASE_* settings in dotenv form (`eval $(hm stack env)` or `> .env`)."""
    for name, value in StackConfig.from_environment().client_env().items():
        typer.echo(f"{name}={value}")
