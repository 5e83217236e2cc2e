"""`hm db …`: migrations and seed data."""

from __future__ import annotations

import typer
from rich.console import Console

from devstack.db import migrations
from devstack.stack.config import SUPABASE_DIR, StackConfig
from devstack.stack.manager import LocalStack
from hm.cli_errors import exit_on_error

db_app = typer.Typer(help="Apply migrations and seed data.", no_args_is_help=True)
console = Console()

DB_URL = typer.Option(
    None,
    "--db-url",
    envvar="SUPABASE_DB_URL",
    help="Database to migrate; defaults to the local stack's.",
)


@db_app.command()
@exit_on_error
def migrate(db_url: str | None = DB_URL) -> None:
    """Apply pending supabase/migrations/*.sql in order, each in one transaction."""
    url = db_url or StackConfig.from_environment().db_url()
    applied = migrations.migrate(
        url,
        SUPABASE_DIR / "migrations",
        on_applied=lambda m: console.print(f"applied {m.version}_{m.name}"),
    )
    if not applied:
        console.print("database is up to date")


@db_app.command()
@exit_on_error
def seed(db_url: str | None = DB_URL) -> None:
    """Load supabase/seeds/*.sql (demo data)."""
    migrations.seed(db_url or StackConfig.from_environment().db_url(), SUPABASE_DIR)
    console.print("seeded")


@db_app.command()
@exit_on_error
def reset(
    seed: bool = typer.Option(True, help="Load supabase/seeds/*.sql after migrating."),
) -> None:
    """Recreate the local database from migrations (and seed)."""
    LocalStack(StackConfig.from_environment()).reset(seed=seed)
    console.print("database recreated")
