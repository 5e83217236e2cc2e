"""Fixtures for the messaging tests: the provider simulator (a real HTTP server speaking Twilio's
and MailerSend's wire protocols) and clients of it built on the official SDKs."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hm.simulators.config import SimulatorConfig
from hm.simulators.process import SimulatorProcess
from hm.testing import free_port
from workers.mailersend_sender import MailerSendEmailSender
from workers.twilio_sender import TwilioSmsSender

SIM_CONFIG = SimulatorConfig(
    sms_sent_latency=0.02,
    sms_final_latency=0.02,
    email_latency=0.02,
)


class Simulator:
    """The running simulator plus helpers tests use to arrange faults and read records."""

    def __init__(self, process: SimulatorProcess) -> None:
        self.process = process
        self.url = process.url
        self.config = process.config

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self.process.configure(**changes)

    def fault(self, provider: str, kind: str, **options: Any) -> None:
        self.post("/_sim/faults", {"provider": provider, "kind": kind, **options})

    def sms(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get("/_sim/sms")
        return result

    def emails(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get("/_sim/emails")
        return result

    def callbacks(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.get("/_sim/callbacks")
        return result

    def reset(self) -> None:
        self.post("/_sim/reset", {})
        self.configure(**SIM_CONFIG.model_dump())


@pytest.fixture(scope="session")
def simulator_process() -> Iterator[SimulatorProcess]:
    folder = Path(tempfile.mkdtemp(prefix="hm-sim-"))
    process = SimulatorProcess(folder / "run", folder / "logs", free_port(), SIM_CONFIG)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def simulator(simulator_process: SimulatorProcess) -> Simulator:
    """The session's simulator, emptied and back to the default settings for this test."""
    sim = Simulator(simulator_process)
    sim.reset()
    return sim


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def twilio_sender(simulator: Simulator, http: httpx.AsyncClient) -> TwilioSmsSender:
    return TwilioSmsSender(
        SIM_CONFIG.twilio_account_sid, SIM_CONFIG.twilio_auth_token, http, simulator.url, 2.0
    )


@pytest.fixture
async def email_sender(simulator: Simulator) -> AsyncIterator[MailerSendEmailSender]:
    sender = MailerSendEmailSender(
        SIM_CONFIG.mailersend_api_key,
        f"{simulator.url}/v1/",
        "https://hellomiami.org/u?m={message_id}",
    )
    yield sender
    await sender.close()
