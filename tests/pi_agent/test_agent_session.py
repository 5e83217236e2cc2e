"""The device session: refreshed before expiry, and a login that can no longer be refreshed
(session revoked, refresh token lost) is replaced by signing in again; a login banned because
the station was disabled stops the agent saying so."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from pi_agent import agent as agent_module
from pi_agent.agent import Agent, CredentialsRejected, DeviceRefused
from pi_agent.settings import AgentSettings
from tests.pi_agent.conftest import Door


def _settings(door: Door, monkeypatch: pytest.MonkeyPatch, **overrides: str) -> AgentSettings:
    env = door.agent_env(**overrides)
    for name in ("SUPABASE_URL", "SUPABASE_ANON_KEY", "HM_DEVICE_EMAIL", "HM_DEVICE_PASSWORD"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.setenv("HM_CUPS_SERVER", env["HM_CUPS_SERVER"])
    return AgentSettings()


async def _refresh_token(agent: Agent) -> str:
    session = await agent.client.auth.get_session()
    assert session is not None
    return session.refresh_token


async def test_session_is_refreshed_before_expiry_and_replaced_when_revoked(
    door: Door, monkeypatch: pytest.MonkeyPatch, db: psycopg.Connection[tuple[Any, ...]]
) -> None:
    agent = Agent(_settings(door, monkeypatch))
    try:
        await agent.connect()
        first = await _refresh_token(agent)
        # Every session counts as "about to expire": the agent refreshes it.
        monkeypatch.setattr(agent_module, "REFRESH_MARGIN_SECONDS", 10**9)
        await agent.refresh_session_if_due()
        refreshed = await _refresh_token(agent)
        assert refreshed != first
        assert await agent.store.claim(1, 60) == []

        # The session is gone server-side (revoked, or expired while offline): sign in again.
        db.execute(
            "delete from auth.sessions where user_id = (select user_id from public.devices "
            "where id = %s)",
            (door.station.device_id,),
        )
        await agent.refresh_session_if_due()
        assert await _refresh_token(agent) not in (first, refreshed)
        assert await agent.store.claim(1, 60) == []
    finally:
        await agent.close()


async def test_a_wrong_password_stops_the_agent_with_a_plain_message(
    door: Door, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = Agent(_settings(door, monkeypatch, HM_DEVICE_PASSWORD="not-the-password"))
    try:
        with pytest.raises(CredentialsRejected, match="HM_DEVICE_PASSWORD"):
            await agent.connect()
    finally:
        await agent.close()


async def test_a_banned_login_stops_the_agent_saying_the_station_was_disabled(
    door: Door, monkeypatch: pytest.MonkeyPatch, db: psycopg.Connection[tuple[Any, ...]]
) -> None:
    # What the login-lock worker leaves in Auth for a disabled station.
    db.execute(
        "update auth.users set banned_until = now() + interval '100 years'"
        " where id = (select user_id from public.devices where id = %s)",
        (door.station.device_id,),
    )
    agent = Agent(_settings(door, monkeypatch))
    try:
        with pytest.raises(DeviceRefused, match="disabled in the app"):
            await agent.connect()
    finally:
        await agent.close()
