"""A device Supabase refuses for good stops the agent with what a person must do, instead of
retrying forever: a station disabled before or while the agent runs, and a login that is no
print station. `hm pi run` then exits 78, which the systemd unit does not restart on."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest

from pi_agent.agent import Agent, DeviceRefused
from pi_agent.settings import AgentSettings
from tests.pi_agent.conftest import Door
from tests.polling import wait_for

REFUSED_WITHIN_SECONDS = 20


def _settings(door: Door, **overrides: str) -> AgentSettings:
    env = door.agent_env(**overrides)
    return AgentSettings(
        supabase_url=env["SUPABASE_URL"],
        supabase_anon_key=env["SUPABASE_ANON_KEY"],
        HM_DEVICE_EMAIL=env["HM_DEVICE_EMAIL"],
        HM_DEVICE_PASSWORD=env["HM_DEVICE_PASSWORD"],
        HM_CUPS_SERVER=env["HM_CUPS_SERVER"],
        HM_CUPS_QUEUE=env["HM_CUPS_QUEUE"],
        HM_POLL_SECONDS=1.0,
    )


def _disable(door: Door) -> None:
    door.db.execute(
        "update public.devices set disabled_at = now() where id = %s", (door.station.device_id,)
    )


async def test_a_disabled_station_stops_the_agent_instead_of_retrying(door: Door) -> None:
    _disable(door)
    agent = Agent(_settings(door))
    with pytest.raises(DeviceRefused, match="no longer accepts device") as refused:
        await asyncio.wait_for(agent.run(asyncio.Event()), REFUSED_WITHIN_SECONDS)
    assert "hm devices add" in str(refused.value)


async def test_a_station_disabled_while_the_agent_runs_stops_it(door: Door) -> None:
    agent = Agent(_settings(door))
    running = asyncio.create_task(agent.run(asyncio.Event()))
    try:
        await asyncio.to_thread(
            wait_for,
            lambda: agent.state.last_heartbeat,
            lambda beat: beat > 0,
            seconds=REFUSED_WITHIN_SECONDS,
            what="the agent's first heartbeat",
        )
        assert not running.done()
        _disable(door)
        with pytest.raises(DeviceRefused, match="disabled or removed"):
            await asyncio.wait_for(running, REFUSED_WITHIN_SECONDS)
    finally:
        running.cancel()


async def test_a_login_that_is_no_print_station_is_refused(door: Door) -> None:
    email = f"not-a-station-{secrets.token_hex(4)}@devices.hellomiami.local"
    password = secrets.token_urlsafe(18)
    service_key = door.supabase_env["SUPABASE_SERVICE_ROLE_KEY"]
    async with httpx.AsyncClient() as http:
        created = await http.post(
            f"{door.supabase_env['SUPABASE_URL']}/auth/v1/admin/users",
            headers={"apikey": service_key, "Authorization": f"Bearer {service_key}"},
            json={"email": email, "password": password, "email_confirm": True},
        )
    assert created.status_code == 200, created.text
    agent = Agent(_settings(door, HM_DEVICE_EMAIL=email, HM_DEVICE_PASSWORD=password))
    with pytest.raises(DeviceRefused, match="is not a print station"):
        await asyncio.wait_for(agent.run(asyncio.Event()), REFUSED_WITHIN_SECONDS)


def test_hm_pi_run_exits_78_for_a_disabled_station(door: Door) -> None:
    _disable(door)
    process = door.start_agent()
    try:
        assert process.wait(timeout=REFUSED_WITHIN_SECONDS) == 78, door.log()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "no longer accepts device" in door.log()
