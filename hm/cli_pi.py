"""`hm pi …`: the Raspberry Pi print agent and its operator tools."""

from __future__ import annotations

from typing import Annotated

import typer

from hm.cli_errors import exit_on_error
from hm.cli_pi_pair import pair

# sysexits' EX_CONFIG: the device is refused for good (see PermanentRefusal); the systemd unit
# stops restarting on it (RestartPreventExitStatus) instead of retrying forever.
EXIT_REFUSED = 78

pi_app = typer.Typer(
    help="The name-tag print agent (runs on the Raspberry Pi).", no_args_is_help=True
)

pi_app.command("pair")(pair)


@pi_app.command("run")
@exit_on_error
def run() -> None:
    """Print name tags for this device until stopped (SIGTERM/Ctrl-C). Exits with status 78
    when Supabase refuses the device for good (wrong login, disabled or unknown station)."""
    import asyncio
    import logging
    import signal

    from pi_agent.agent import Agent, PermanentRefusal
    from pi_agent.settings import AgentSettings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Agent(AgentSettings()).run(stop)

    try:
        asyncio.run(main())
    except PermanentRefusal as refusal:
        typer.secho(f"error: {refusal}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_REFUSED) from refusal


@pi_app.command("doctor")
@exit_on_error
def doctor() -> None:
    """Check CUPS, the label queue, Supabase and the device login; say how to fix each."""
    from pi_agent.doctor import run_checks
    from pi_agent.settings import AgentSettings

    settings = AgentSettings()
    checks = run_checks(settings, settings.cups_queue or "Label")
    for check in checks:
        mark = (
            typer.style("ok  ", fg=typer.colors.GREEN)
            if check.ok
            else typer.style("FAIL", fg=typer.colors.RED)
        )
        typer.echo(f"{mark} {check.name}: {check.detail}")
        if not check.ok:
            typer.echo(f"     fix: {check.fix}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


@pi_app.command("test-print")
@exit_on_error
def print_sample(
    name: Annotated[str, typer.Option(help="Name to print.")] = "Hello Miami",
) -> None:
    """Print one sample tag straight through CUPS (no Supabase needed)."""
    from pi_agent.label import LabelData, layout_named, render_label
    from pi_agent.printer import CupsPrinter, Outcome, PrinterError
    from pi_agent.settings import AgentSettings

    settings = AgentSettings()
    printer = CupsPrinter(settings.cups_server, settings.cups_queue or "Label")
    label = LabelData(
        display_name=name,
        company="Test print",
        event_name="hm pi test-print",
        qr_token="test-print",
    )
    try:
        cups_job_id = printer.submit(render_label(label, layout_named("default")), "hm test print")
    except PrinterError as error:
        typer.secho(f"error: {error} (run `hm pi doctor`)", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    result = printer.follow(cups_job_id, settings.job_timeout_seconds)
    if result.outcome is not Outcome.PRINTED:
        typer.secho(
            f"error: CUPS job {cups_job_id} failed: {result.error}", err=True, fg=typer.colors.RED
        )
        raise typer.Exit(1)
    typer.echo(f"printed CUPS job {cups_job_id} on {printer.queue}")
