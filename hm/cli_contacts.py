"""`hm contacts …`: CSV import (mapping, preview, progress) and export."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from hm.cli_errors import exit_on_error
from hm.errors import HmError
from hm.people import csv_import, export
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings

contacts_app = typer.Typer(help="Contacts: CSV import and export.", no_args_is_help=True)
console = Console()


def _show_preview(mapping: dict[str, str], rows: list[csv_import.PreviewRow], total: int) -> None:
    console.print("[bold]Column mapping[/bold]")
    for header, target in mapping.items():
        if target != csv_import.IGNORE:
            console.print(f"  {header} → {target}")
    ignored = [header for header, target in mapping.items() if target == csv_import.IGNORE]
    if ignored:
        console.print(f"  ignored: {', '.join(ignored)}")
    table = Table("row", "result", "why", title="What the import will do with the first rows")
    for row in rows:
        table.add_row(str(row.row_number), row.outcome, row.reason or "")
    console.print(table)
    outcomes = Counter(row.outcome for row in rows)
    console.print(
        f"{total} rows; of the first {len(rows)}: {outcomes['new']} new, "
        f"{outcomes['updated']} updated, {outcomes['skipped']} unchanged, "
        f"{outcomes['error']} errors"
    )


def _run_with_progress(api: ServiceApi, import_id: str, total: int, chunk_size: int) -> None:
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("import", total=total)
        csv_import.run(
            api,
            import_id,
            chunk_size=chunk_size,
            on_progress=lambda done: progress.update(task, completed=done),
        )


@contacts_app.command("import")
@exit_on_error
def import_(
    file: Annotated[
        Path | None,
        typer.Argument(help="CSV file with a header row.", exists=True, dir_okay=False),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="'CSV column=field'; field is phone, email, first_name, last_name, full_name,"
            " …, consent_sms, consent_email, custom:<name> or - (ignore). Repeatable.",
        ),
    ] = None,
    source: Annotated[
        str, typer.Option(help="Where these contacts came from (saved on new ones).")
    ] = "import",
    consent_proof: Annotated[
        str | None,
        typer.Option(help="What a consent column represents (required with one)."),
    ] = None,
    resume: Annotated[
        str | None, typer.Option(help="Finish an import that was interrupted (its id).")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Show the preview and stop.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Import without asking.")] = False,
    batch_size: Annotated[
        int, typer.Option(help="Rows per chunk (one transaction each).")
    ] = csv_import.CHUNK_SIZE,
    preview_rows: Annotated[int, typer.Option(help="Rows to preview.")] = 20,
    report: Annotated[
        Path | None, typer.Option(help="Write every row's result to this CSV file.")
    ] = None,
) -> None:
    """Import contacts from CSV as a server-side job (the web app's), deduplicated by phone and
    email, with a per-row result; --resume finishes an interrupted one."""
    with ServiceApi(SupabaseServiceSettings()) as api:
        if resume is not None:
            import_id = resume
            total = int(csv_import.read_import(api, import_id)["total_rows"])
        else:
            if file is None:
                raise HmError("name a CSV file (or --resume an import)")
            data = csv_import.read_csv(file)
            staged = csv_import.stage(api, file.name, data)
            import_id, total = staged.id, staged.total_rows
            mapping = {**staged.mapping, **csv_import.parse_map_options(map_ or [])}
            rows = csv_import.preview(api, import_id, mapping, preview_rows)
            _show_preview(mapping, rows, total)
            if dry_run:
                return
            if not yes and not typer.confirm(f"Import {total} rows?"):
                raise HmError("import cancelled")
            csv_import.start(api, import_id, mapping, source, consent_proof)
            console.print(f"import {import_id} (resume with --resume {import_id})")
        _run_with_progress(api, import_id, total, batch_size)
        outcome = csv_import.results(api, import_id)
    tally = csv_import.counts(outcome)
    console.print(
        f"inserted {tally['inserted']}, updated {tally['updated']}, "
        f"skipped {tally['skipped']}, errors {tally['error']}"
    )
    errors = [row for row in outcome if row.status == "error"]
    for error in errors[:20]:
        console.print(f"  row {error.row_number}: {error.reason}")
    if len(errors) > 20:
        console.print(f"  … and {len(errors) - 20} more (use --report)")
    if report is not None:
        _write_report(report, outcome)


def _write_report(path: Path, outcome: list[csv_import.RowResult]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("row", "status", "contact_id", "reason"))
        for row in outcome:
            writer.writerow((row.row_number, row.status, row.contact_id or "", row.reason or ""))
    console.print(f"per-row results written to {path}")


@contacts_app.command("export")
@exit_on_error
def export_(
    out: Annotated[
        Path | None, typer.Option(help="CSV file to write (default: standard output).")
    ] = None,
    segment: Annotated[
        str | None, typer.Option(help="Only contacts matching this segment definition (JSON).")
    ] = None,
) -> None:
    """Export live contacts (not merged or erased) as CSV."""
    definition: dict[str, Any] | None = None
    if segment is not None:
        try:
            definition = json.loads(segment)
        except json.JSONDecodeError as error:
            raise HmError(f"--segment is not JSON: {error}") from error
    with ServiceApi(SupabaseServiceSettings()) as api:
        rows = export.exported_rows(api, definition)
        if out is None:
            count = export.write_csv(rows, sys.stdout)
        else:
            with out.open("w", newline="", encoding="utf-8") as handle:
                count = export.write_csv(rows, handle)
    typer.echo(f"exported {count} contacts", err=True)
