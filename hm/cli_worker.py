"""`hm worker …` and `hm webhook …`: the messaging processes (configured by the environment).

The workers' modules are imported inside the commands: they need the `workers` extra, which
the rest of the CLI must not require."""

from __future__ import annotations

import asyncio

import typer

from hm.cli_errors import exit_on_error

worker_app = typer.Typer(help="Messaging worker: sends queued SMS and email.", no_args_is_help=True)
webhook_app = typer.Typer(help="Webhook server for Twilio and MailerSend.", no_args_is_help=True)


@worker_app.command()
@exit_on_error
def run(
    log_level: str = typer.Option("INFO", help="Logging level.", envvar="HM_LOG_LEVEL"),
) -> None:
    """Claim queued messages through SQL and deliver them until SIGTERM (see docs/deploy.md)."""
    from workers.logs import configure_logging
    from workers.runtime import run_worker
    from workers.settings import WorkerSettings

    configure_logging(log_level)
    asyncio.run(run_worker(WorkerSettings()))


@webhook_app.command()
@exit_on_error
def serve(
    log_level: str = typer.Option("INFO", help="Logging level.", envvar="HM_LOG_LEVEL"),
) -> None:
    """Answer Twilio and MailerSend webhooks on WEBHOOK_HOST:WEBHOOK_PORT."""
    from workers.logs import configure_logging
    from workers.runtime import serve_webhooks
    from workers.settings import WorkerSettings

    configure_logging(log_level)
    serve_webhooks(WorkerSettings())
