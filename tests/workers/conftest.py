"""Fixtures for the messaging tests: the provider simulator (a real HTTP server speaking Twilio's
and MailerSend's wire protocols) and clients of it built on the official SDKs."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from devstack.local_messaging import LocalMessaging
from devstack.simulators.config import SimulatorConfig
from devstack.simulators.process import SimulatorProcess
from devstack.stack.manager import LocalStack
from devstack.testing import free_port
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
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def twilio_sender(simulator: Simulator, http: aiohttp.ClientSession) -> TwilioSmsSender:
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


class System:
    """The whole messaging side on the session's stack: simulator, webhook server, workers."""

    def __init__(self, messaging: LocalMessaging) -> None:
        self.messaging = messaging
        self.sim = Simulator(messaging.simulator)
        self.started: list[str] = []

    def start_worker(self, name: str, **env: str) -> int:
        settings = {
            "WORKER_POLL_INTERVAL_SECONDS": "0.5",
            "WORKER_AMBIGUOUS_AFTER_SECONDS": "8",
            "WORKER_PROVIDER_TIMEOUT_SECONDS": "5",
            "WORKER_LEASE_SECONDS": "10",
            **env,
        }
        pid = self.messaging.start_worker(name, **settings)
        self.started.append(name)
        return pid

    def kill_worker(self, name: str) -> None:
        """kill -9: no chance to finish or record anything."""
        self.messaging.workers[name].stop(sig=signal.SIGKILL)

    def stop_workers(self) -> None:
        for name in self.started:
            self.messaging.workers[name].stop()
        self.started.clear()


@pytest.fixture(scope="session")
def local_messaging(stack: LocalStack) -> Iterator[LocalMessaging]:
    folder = Path(tempfile.mkdtemp(prefix="hm-messaging-"))
    messaging = LocalMessaging(
        stack.config.client_env(),
        folder / "run",
        folder / "logs",
        simulator_port=free_port(),
        webhook_port=free_port(),
        simulator_config=SIM_CONFIG,
        outbox_transport=os.environ.get("HM_TEST_OUTBOX_TRANSPORT", "rest"),
    )
    messaging.start(worker_count=0)
    yield messaging
    messaging.stop()
    if not os.environ.get("HM_KEEP_TEST_STACK"):  # kept for reading the processes' logs
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def system(local_messaging: LocalMessaging) -> Iterator[System]:
    """Simulator reset to defaults (webhook URLs kept), no worker running; workers a test starts
    are stopped at its end."""
    sim = System(local_messaging)
    sim.sim.post("/_sim/reset", {})
    sim.sim.configure(**local_messaging.simulator_config.model_dump())
    yield sim
    sim.stop_workers()
