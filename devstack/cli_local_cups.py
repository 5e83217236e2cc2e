"""`hm pi local-cups`: a private cupsd for a laptop without a label printer (never on a Pi).

It lives here, not in `hm.cli_pi`, because a Pi has a real CUPS and must not carry the stand-in;
`hm.cli` adds it to the `pi` group where devstack is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from devstack import local_cups as cups
from hm.cli_errors import exit_on_error


@exit_on_error
def local_cups(
    state_dir: Annotated[
        Path, typer.Option(help="Folder for the private cupsd's config, spool and output.")
    ] = Path(".hm/cups"),
    stop: Annotated[bool, typer.Option("--stop", help="Stop it instead.")] = False,
) -> None:
    """Start a private cupsd (system CUPS untouched; run as root, it drops to lp) with a `Label`
    queue that writes each tag to a PDF you can open; prints the HM_CUPS_* settings for
    `hm pi run` (`eval $(…)`)."""
    if stop:
        typer.echo("stopped" if cups.stop(state_dir) else "was not running", err=True)
        return
    server = cups.start(state_dir)
    for name, value in server.env().items():
        typer.echo(f"{name}={value}")
    typer.echo(f"# each printed tag is written to {server.output_path}", err=True)
