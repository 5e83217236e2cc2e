"""`hm devices …`: print stations (each Pi signs in as its own device user)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hm.cli_errors import exit_on_error
from hm.people import devices
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings

devices_app = typer.Typer(help="Print stations.", no_args_is_help=True)
console = Console()


@devices_app.command("add")
@exit_on_error
def add(
    name: Annotated[str, typer.Argument(help="Unique station name, e.g. 'front-door'.")],
    venue: Annotated[str | None, typer.Option(help="Where the station stands.")] = None,
    queue: Annotated[str | None, typer.Option(help="CUPS queue name on the Pi.")] = None,
) -> None:
    """Create a print station and print its login once (put it in the Pi agent's config)."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        credentials = devices.add_device(api, name, venue, queue)
    console.print(f"added device {credentials.name} ({credentials.device_id})")
    console.print(f"email:    {credentials.email}")
    console.print(f"password: [bold]{credentials.password}[/bold]  (shown only now)")


@devices_app.command("list")
@exit_on_error
def list_() -> None:
    """List print stations with their last heartbeat and printer state."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        rows = devices.list_devices(api)
    table = Table("name", "venue", "queue", "last seen", "printer", "disabled")
    for row in rows:
        table.add_row(
            *(
                str(row.get(key) or "")
                for key in (
                    "name",
                    "venue",
                    "cups_queue",
                    "last_seen_at",
                    "printer_state",
                    "disabled_at",
                )
            )
        )
    console.print(table)
