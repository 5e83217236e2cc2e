"""`hm`: the operators' command line for Hello Miami.

One distribution serves three kinds of machine — an operator's laptop, a worker host and the
Raspberry Pi — each installing only its extra. A command group whose extra is not installed is
still listed, and says what to install instead of failing `hm` as a whole.
"""

from __future__ import annotations

import importlib

import typer

# name → (module, attribute, extra that provides its dependencies)
COMMAND_GROUPS = {
    "stack": ("hm.cli_stack", "stack_app", "stack"),
    "db": ("hm.cli_db", "db_app", "stack"),
    "dev": ("hm.cli_dev", "dev_app", "dev"),
    "sim": ("hm.cli_sim", "sim_app", "workers"),
    "worker": ("hm.cli_worker", "worker_app", "workers"),
    "webhook": ("hm.cli_worker", "webhook_app", "workers"),
    "staff": ("hm.cli_staff", "staff_app", "workers"),
    "devices": ("hm.cli_devices", "devices_app", "workers"),
    "contacts": ("hm.cli_contacts", "contacts_app", "workers"),
    "blasts": ("hm.cli_blasts", "blasts_app", "workers"),
    "pi": ("hm.cli_pi", "pi_app", "pi"),
}
OUR_PACKAGES = ("hm", "workers", "pi_agent")

app = typer.Typer(
    name="hm",
    help="Hello Miami: check-in, name tags, CRM and messaging on Supabase.",
    no_args_is_help=True,
)


def _add_unavailable(name: str, extra: str, missing: str) -> None:
    """Stand in for a group whose extra is not installed, whatever arguments follow it."""
    explanation = (
        f"Not installed here: needs pip install 'hello-miami[{extra}]' ({missing} missing)."
    )

    @app.command(
        name,
        help=explanation,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def explain() -> None:
        typer.secho(f"hm {name}: {explanation}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1)


def _add_group(name: str, module: str, attribute: str, extra: str) -> None:
    try:
        group: typer.Typer = getattr(importlib.import_module(module), attribute)
    except ModuleNotFoundError as error:
        # Only a third-party package of another extra may be missing; our own never is.
        if error.name is None or error.name.split(".")[0] in OUR_PACKAGES:
            raise
        _add_unavailable(name, extra, error.name)
        return
    app.add_typer(group, name=name)


for _name, (_module, _attribute, _extra) in COMMAND_GROUPS.items():
    _add_group(_name, _module, _attribute, _extra)
