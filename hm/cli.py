"""`hm`: the operators' command line for Hello Miami."""

from __future__ import annotations

import typer

from hm.cli_contacts import contacts_app
from hm.cli_db import db_app
from hm.cli_dev import dev_app
from hm.cli_devices import devices_app
from hm.cli_pi import pi_app
from hm.cli_sim import sim_app
from hm.cli_stack import stack_app
from hm.cli_staff import staff_app
from hm.cli_worker import webhook_app, worker_app

app = typer.Typer(
    name="hm",
    help="Hello Miami: check-in, name tags, CRM and messaging on Supabase.",
    no_args_is_help=True,
)
app.add_typer(stack_app, name="stack")
app.add_typer(db_app, name="db")
app.add_typer(dev_app, name="dev")
app.add_typer(sim_app, name="sim")
app.add_typer(worker_app, name="worker")
app.add_typer(webhook_app, name="webhook")
app.add_typer(staff_app, name="staff")
app.add_typer(devices_app, name="devices")
app.add_typer(contacts_app, name="contacts")
app.add_typer(pi_app, name="pi")
