"""The one table `hm stack` and `hm dev` print processes in."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from devstack.status import STOPPED, ProcessStatus


def print_status(console: Console, statuses: list[ProcessStatus]) -> None:
    table = Table("process", "state", "pid", "address", "health")
    for status in statuses:
        if status.health == STOPPED:
            state, health = "[red]stopped[/]", "-"
        else:
            state = "[green]running[/]"
            health = "[green]ok[/]" if status.healthy else f"[red]{status.health}[/]"
        table.add_row(status.name, state, str(status.pid or "-"), status.address, health)
    console.print(table)
