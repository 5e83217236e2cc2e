"""`hm`: the operators' command line for Hello Miami.

One distribution serves three kinds of machine — an operator's laptop, a worker host and the
Raspberry Pi — each installing only its extra. A command group whose extra is not installed is
still listed, and says what to install instead of failing `hm` as a whole.
"""

from __future__ import annotations

import importlib

import typer

# name → (module, attribute, extra that provides its dependencies). The first four are the
# local stand-in's (package `devstack`): the product never imports it, so they are looked up
# by name at run time and a machine without it is told what to install.
COMMAND_GROUPS = {
    "stack": ("devstack.cli_stack", "stack_app", "stack"),
    "db": ("devstack.cli_db", "db_app", "stack"),
    "dev": ("devstack.cli_dev", "dev_app", "dev"),
    "sim": ("devstack.cli_sim", "sim_app", "workers"),
    "worker": ("hm.cli_worker", "worker_app", "workers"),
    "webhook": ("hm.cli_worker", "webhook_app", "workers"),
    "staff": ("hm.cli_staff", "staff_app", "workers"),
    "devices": ("hm.cli_devices", "devices_app", "workers"),
    "contacts": ("hm.cli_contacts", "contacts_app", "workers"),
    "pi": ("hm.cli_pi", "pi_app", "pi"),
}
# A development command typed under a product group: group → (command, module, function).
DEVSTACK_COMMANDS = {"pi": ("local-cups", "devstack.cli_local_cups", "local_cups")}
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


def _add_group(name: str, module: str, attribute: str, extra: str) -> typer.Typer | None:
    try:
        group: typer.Typer = getattr(importlib.import_module(module), attribute)
    except ModuleNotFoundError as error:
        # Only devstack or a third-party package of another extra may be missing; the
        # product's own packages never are.
        if error.name is None or error.name.split(".")[0] in OUR_PACKAGES:
            raise
        _add_unavailable(name, extra, error.name)
        return None
    app.add_typer(group, name=name)
    return group


def _add_devstack_command(group: typer.Typer, command: str, module: str, function: str) -> None:
    """Add a development command to a product group where devstack and its extra are installed;
    elsewhere (a Pi) the command simply does not exist."""
    try:
        implementation = getattr(importlib.import_module(module), function)
    except ModuleNotFoundError as error:
        if error.name is None or error.name.split(".")[0] in OUR_PACKAGES:
            raise
        return
    group.command(command)(implementation)


_groups = {name: _add_group(name, *where) for name, where in COMMAND_GROUPS.items()}
for _group_name, (_command, _module, _function) in DEVSTACK_COMMANDS.items():
    _group = _groups[_group_name]
    if _group is not None:
        _add_devstack_command(_group, _command, _module, _function)
