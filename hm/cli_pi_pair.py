"""`hm pi pair CODE`: pair this Raspberry Pi with a print station registered in the app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hm.cli_errors import exit_on_error
from hm.errors import HmError
from pi_agent.settings import AGENT_ENV_FILE


@exit_on_error
def pair(
    code: Annotated[str, typer.Argument(help="The pairing code the app showed, e.g. K7QX2-M9TRD.")],
    env_file: Annotated[
        Path,
        typer.Option(
            help="The agent's env file to write (the systemd unit reads it).",
            envvar="HM_PI_ENV_FILE",
        ),
    ] = AGENT_ENV_FILE,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for the station's login to be created.")
    ] = 60.0,
) -> None:
    """Spend a one-time pairing code (from Admin → Print stations) and write this station's
    login into the agent's env file. Needs SUPABASE_URL and SUPABASE_ANON_KEY (the public key)."""
    import httpx
    from supabase import ClientOptions, create_client

    from hm.settings import SupabaseSettings
    from pi_agent.pairing import agent_env, pair_station, write_env_file

    settings = SupabaseSettings()
    anon_key = settings.supabase_anon_key.get_secret_value()
    if not anon_key:
        raise HmError("set SUPABASE_URL and SUPABASE_ANON_KEY (the project's public anon key)")
    # An httpx client we own, so its sockets close when pairing is done.
    with httpx.Client() as http:
        options = ClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False)
        client = create_client(settings.supabase_url, anon_key, options)
        station = pair_station(client, code, timeout_seconds=timeout)
    write_env_file(env_file, agent_env(station, settings.supabase_url, anon_key))
    typer.echo(f"paired as station {station.name!r} ({station.email})")
    typer.echo(f"wrote {env_file}; start the agent: sudo systemctl restart hm-pi-agent")
