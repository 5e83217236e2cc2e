"""`hm contacts …`: CSV import (mapping, preview, progress) and export."""

from __future__ import annotations

import csv
import json
import sys
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


def _show_preview(preview: csv_import.Preview, mapping: csv_import.ColumnMapping) -> None:
    console.print("[bold]Column mapping[/bold]")
    for header, target in mapping.columns.items():
        console.print(f"  {header} → {target}")
    if preview.ignored_columns:
        console.print(f"  ignored: {', '.join(preview.ignored_columns)}")
    table = Table(*csv_import.FIELDS, "custom_fields", title="First rows as they will be imported")
    for row in preview.rows:
        table.add_row(
            *(str(row.get(name, "")) for name in csv_import.FIELDS),
            json.dumps(row.get("custom_fields", {})) if row.get("custom_fields") else "",
        )
    console.print(table)
    console.print(
        f"{preview.total} rows: {preview.with_phone} with phone, {preview.with_email} with email, "
        f"{preview.without_address} without either, {preview.unparsable_phones} unparsable phones"
    )


@contacts_app.command("import")
@exit_on_error
def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV file with a header row.", exists=True, dir_okay=False)
    ],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="'CSV column=field'; field is phone, email, first_name, …, custom:<name>"
            " or - (ignore). Repeatable.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Show the preview and stop.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Import without asking.")] = False,
    update_existing: Annotated[
        bool, typer.Option(help="Fill in and tag contacts that already exist (else skip them).")
    ] = True,
    batch_size: Annotated[int, typer.Option(help="Rows per database call.")] = 500,
    report: Annotated[
        Path | None, typer.Option(help="Write every row's result to this CSV file.")
    ] = None,
) -> None:
    """Import contacts from CSV, deduplicated by phone and email, with a per-row result."""
    data = csv_import.read_csv(file)
    mapping = csv_import.ColumnMapping.build(data.headers, csv_import.parse_map_options(map_ or []))
    rows = [csv_import.prepare_row(raw, mapping) for raw in data.rows]
    _show_preview(csv_import.preview(rows, mapping), mapping)
    if dry_run:
        return
    if not yes and not typer.confirm(f"Import {len(rows)} rows?"):
        raise HmError("import cancelled")
    with (
        ServiceApi(SupabaseServiceSettings()) as api,
        Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("import", total=len(rows))
        result = csv_import.import_rows(
            api,
            rows,
            batch_size=batch_size,
            update_existing=update_existing,
            on_batch=lambda done: progress.advance(task, done),
        )
    counts = result.counts
    console.print(
        f"inserted {counts['inserted']}, updated {counts['updated']}, "
        f"skipped {counts['skipped']}, errors {counts['error']}"
    )
    for error in result.errors[:20]:
        console.print(f"  row {error.row_number}: {error.reason}")
    if len(result.errors) > 20:
        console.print(f"  … and {len(result.errors) - 20} more (use --report)")
    if report is not None:
        _write_report(report, result)


def _write_report(path: Path, result: csv_import.ImportReport) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("row", "status", "contact_id", "reason"))
        for row in result.results:
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
