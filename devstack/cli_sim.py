"""`hm sim …`: the local Twilio + MailerSend simulator (never for production)."""

from __future__ import annotations

from typing import Annotated

import typer

from devstack.simulators.config import SimulatorConfig

sim_app = typer.Typer(
    help="Local provider simulator for Twilio and MailerSend.", no_args_is_help=True
)


@sim_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", envvar="HM_SIM_PORT")] = 54340,
    account_sid: Annotated[
        str, typer.Option(help="Twilio account SID it accepts.", envvar="TWILIO_ACCOUNT_SID")
    ] = SimulatorConfig().twilio_account_sid,
    auth_token: Annotated[
        str,
        typer.Option(
            help="Twilio auth token it accepts and signs with.", envvar="TWILIO_AUTH_TOKEN"
        ),
    ] = SimulatorConfig().twilio_auth_token,
    mailersend_api_key: Annotated[
        str, typer.Option(help="MailerSend API key it accepts.", envvar="MAILERSEND_API_KEY")
    ] = SimulatorConfig().mailersend_api_key,
    mailersend_webhook_secret: Annotated[
        str,
        typer.Option(
            help="Secret MailerSend webhooks are signed with.", envvar="MAILERSEND_WEBHOOK_SECRET"
        ),
    ] = SimulatorConfig().mailersend_webhook_secret,
    webhook_public_url: Annotated[
        str | None,
        typer.Option(help="Our webhook server's public base URL.", envvar="WEBHOOK_PUBLIC_URL"),
    ] = None,
) -> None:
    """Answer Twilio's and MailerSend's APIs locally; open http://HOST:PORT/ to see and reply."""
    base = webhook_public_url.rstrip("/") if webhook_public_url else None
    config = SimulatorConfig(
        twilio_account_sid=account_sid,
        twilio_auth_token=auth_token,
        mailersend_api_key=mailersend_api_key,
        mailersend_webhook_secret=mailersend_webhook_secret,
        twilio_inbound_url=f"{base}/twilio/inbound" if base else None,
        mailersend_webhook_url=f"{base}/mailersend/events" if base else None,
    )
    from devstack.simulators.server import serve as serve_simulator  # needs the stack extra

    typer.echo(f"provider simulator on http://{host}:{port}/")
    serve_simulator(config, host, port)
