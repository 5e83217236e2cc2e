"""`hm blasts …`: list, show, preview, start, pause, resume and cancel blasts from the command
line, over the same SQL functions the app calls (blast_progress, preview_blast, start_blast,
pause_blast, resume_blast, cancel_blast). A blast is named by its id or its exact name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hm.cli_errors import exit_on_error
from hm.errors import HmError
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings

blasts_app = typer.Typer(help="Blasts: list, preview and control them.", no_args_is_help=True)
console = Console()

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
STATUSES = ("draft", "scheduled", "sending", "paused", "completed", "cancelled")


@dataclass(frozen=True)
class Progress:
    """Where a blast is: the numbers its controls and confirmations speak of."""

    total: int
    sent: int
    failed: int
    skipped: int

    @classmethod
    def of(cls, blast: dict[str, Any]) -> Progress:
        return cls(
            int(blast["recipients_total"]),
            int(blast["sent_count"]),
            int(blast["failed_count"]),
            int(blast["skipped_count"]),
        )

    @property
    def remaining(self) -> int:
        return max(self.total - self.sent - self.failed - self.skipped, 0)

    def sentence(self) -> str:
        return (
            f"{self.sent:,} of {self.total:,} sent, {self.failed:,} failed, "
            f"{self.skipped:,} skipped, {self.remaining:,} to send"
        )


def live_blast(api: ServiceApi, blast_id: str) -> dict[str, Any]:
    """The blast's row with its live counters, from `blast_progress` (what the blast page shows):
    the row's own counters trail the sends until the workers fold them, about once a second."""
    rows: list[dict[str, Any]] = api.rpc("blast_progress", {"p_blast_id": blast_id})
    if not rows:
        raise HmError(f"no blast {blast_id}")
    return rows[0]


def find_blast(api: ServiceApi, ref: str) -> dict[str, Any]:
    """The blast with this id or exact name (the newest, if several share the name), live."""
    field = "id" if UUID.match(ref) else "name"
    rows = api.select(
        "blasts", {"select": "id", field: f"eq.{ref}", "order": "created_at.desc", "limit": "1"}
    )
    if not rows:
        raise HmError(f"no blast {ref!r}")
    return live_blast(api, rows[0]["id"])


def list_blasts(api: ServiceApi, status: str | None, limit: int) -> list[dict[str, Any]]:
    """The newest blasts (in a status), each live."""
    params = {"select": "id", "order": "created_at.desc", "limit": str(limit)}
    if status:
        params["status"] = f"eq.{status}"
    return [live_blast(api, row["id"]) for row in api.select("blasts", params)]


def control(api: ServiceApi, action: str, blast_id: str, **extra: str) -> dict[str, Any]:
    """start/pause/resume/cancel through its SQL function; the blast as it is afterwards, live."""
    api.rpc(f"{action}_blast", {"p_blast_id": blast_id, **extra})
    return live_blast(api, blast_id)


def preview_lines(preview: dict[str, Any]) -> list[str]:
    """The preview as sentences: recipients, exclusions and why, what would wait, warnings."""
    lines = [f"audience {preview['audience']:,}, recipients {preview['recipients']:,}"]
    for channel, numbers in sorted(preview["by_channel"].items()):
        lines.append(
            f"  {channel}: {numbers['recipients']:,} recipients, "
            f"{numbers['segments_total'] or 0:,} segments, est. ${numbers['estimated_cost']}"
        )
    for variant in preview["by_variant"]:
        if variant["variant"]:
            lines.append(
                f"  variant {variant['channel']} {variant['variant']}: {variant['recipients']:,}"
            )
    for channel, reasons in sorted(preview["excluded"].items()):
        listed = ", ".join(f"{count:,} {reason}" for reason, count in sorted(reasons.items()))
        lines.append(f"  excluded from {channel}: {listed}")
    lines.extend(f"warning: {warning['message']}" for warning in preview["warnings"])
    return lines


def _show(blast: dict[str, Any]) -> None:
    console.print(f"[bold]{blast['name']}[/bold]  {blast['id']}")
    console.print(f"status: {blast['status']}  channel: {blast['channel']}")
    if blast["paused_reason"]:
        console.print(f"paused: {blast['paused_reason']}")
    if blast["scheduled_at"]:
        console.print(f"scheduled for {blast['scheduled_at']}")
    console.print(Progress.of(blast).sentence())
    console.print(f"delivered {blast['delivered_count']:,}, opted out {blast['opted_out_count']:,}")


def _confirm(question: str, yes: bool) -> None:
    if not yes and not typer.confirm(question):
        raise HmError("nothing changed")


BlastRef = Annotated[str, typer.Argument(help="The blast's id or exact name.")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")]


@blasts_app.command("list")
@exit_on_error
def list_(
    status: Annotated[
        str | None, typer.Option(help=f"Only blasts in this status ({', '.join(STATUSES)}).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
) -> None:
    """List blasts with their status and progress, newest first."""
    if status is not None and status not in STATUSES:
        raise HmError(f"status must be one of {', '.join(STATUSES)}")
    with ServiceApi(SupabaseServiceSettings()) as api:
        blasts = list_blasts(api, status, limit)
    table = Table("id", "name", "channel", "status", "sent", "to send", "failed", "created")
    for blast in blasts:
        progress = Progress.of(blast)
        table.add_row(
            blast["id"],
            blast["name"],
            blast["channel"],
            blast["status"],
            f"{progress.sent:,}/{progress.total:,}",
            f"{progress.remaining:,}",
            f"{progress.failed:,}",
            blast["created_at"][:16],
        )
    console.print(table)


@blasts_app.command()
@exit_on_error
def show(blast: BlastRef) -> None:
    """A blast's status, progress and why it is paused."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        _show(find_blast(api, blast))


@blasts_app.command()
@exit_on_error
def preview(
    blast: BlastRef,
    samples: Annotated[int, typer.Option(help="Rendered samples to show.")] = 3,
) -> None:
    """Who would get it (per channel and variant), who is excluded and why, cost, samples."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        found = find_blast(api, blast)
        result = api.rpc("preview_blast", {"p_blast_id": found["id"], "p_samples": samples})
    for line in preview_lines(result):
        console.print(line, highlight=False)
    for sample in result["samples"]:
        console.print(f"  [{sample['channel']}] {sample['body']}", highlight=False)


@blasts_app.command()
@exit_on_error
def start(blast: BlastRef, yes: Yes = False) -> None:
    """Start a draft or scheduled blast now (after showing its preview)."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        found = find_blast(api, blast)
        result = api.rpc("preview_blast", {"p_blast_id": found["id"], "p_samples": 0})
        for line in preview_lines(result):
            console.print(line, highlight=False)
        if not result["startable"]:
            raise HmError("nobody can receive this blast: not started")
        _confirm(f"Start {found['name']!r} to {result['recipients']:,} recipients now?", yes)
        _show(control(api, "start", found["id"]))


@blasts_app.command()
@exit_on_error
def pause(
    blast: BlastRef,
    reason: Annotated[str, typer.Option(help="Shown with the paused blast.")] = "Paused by staff",
) -> None:
    """Pause a sending blast: claims stop at once; texts already handed over finish."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        _show(control(api, "pause", find_blast(api, blast)["id"], p_reason=reason))


@blasts_app.command()
@exit_on_error
def resume(blast: BlastRef, yes: Yes = False) -> None:
    """Resume a paused blast with the next recipient."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        found = find_blast(api, blast)
        progress = Progress.of(found)
        _confirm(f"{progress.sentence()}. Resume with the next recipient?", yes)
        _show(control(api, "resume", found["id"]))


@blasts_app.command()
@exit_on_error
def cancel(blast: BlastRef, yes: Yes = False) -> None:
    """Cancel a blast: every recipient not yet sent to is dropped (cannot be undone)."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        found = find_blast(api, blast)
        progress = Progress.of(found)
        _confirm(
            f"{progress.sentence()}. Cancel {found['name']!r}; the {progress.remaining:,} "
            "not yet sent will never be?",
            yes,
        )
        _show(control(api, "cancel", found["id"]))
