"""`hm`: the operators' command line for Hello Miami."""

from __future__ import annotations

import typer

from hm.cli_db import db_app
from hm.cli_dev import dev_app
from hm.cli_stack import stack_app

app = typer.Typer(
    name="hm",
    help="Hello Miami: check-in, name tags, CRM and messaging on Supabase.",
    no_args_is_help=True,
)
app.add_typer(stack_app, name="stack")
app.add_typer(db_app, name="db")
app.add_typer(dev_app, name="dev")
