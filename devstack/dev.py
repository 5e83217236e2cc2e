"""The whole system on one machine: the local stack plus the processes around it — provider
simulator, webhook server and a worker (messaging), the print agent with a local CUPS, and the
web app (built and served).

Everything is started idempotently with recorded pids and stopped by those pids.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg

from devstack import local_cups
from devstack.local_messaging import HM_COMMAND, LocalMessaging, worker_name
from devstack.stack.config import StackConfig
from devstack.stack.manager import LocalStack
from devstack.stack.processes import ManagedProcess, free_port, wait_until
from devstack.status import OK, ProcessStatus, http_health, probe, stack_status, unix_socket_health
from devstack.web_app import LocalWebApp
from pi_agent.settings import AgentSettings

# Ports beside the Supabase CLI's 5432x range, overridable like the stack's own.
SIMULATOR_PORT = int(os.environ.get("HM_SIM_PORT", 54340))
WEBHOOK_PORT = int(os.environ.get("HM_WEBHOOK_PORT", 54350))
LOCAL_WORKERS = (worker_name(1),)
# The print station supabase/seeds/10-people-events.sql creates (queue "Label").
DEMO_STATION = {
    "HM_DEVICE_EMAIL": "station@devices.hellomiami.local",
    "HM_DEVICE_PASSWORD": "hellomiami-demo",
}
# The agent heartbeats every HM_HEARTBEAT_SECONDS; missing three in a row means it is stuck.
MISSED_HEARTBEATS = 3
HEARTBEAT_SECONDS: float = AgentSettings.model_fields["heartbeat_seconds"].default
# How long `up` waits for a worker's health endpoint and the agent's first heartbeat.
READY_SECONDS = 30.0


@dataclass
class DevSystem:
    config: StackConfig

    def __post_init__(self) -> None:
        self.stack = LocalStack(self.config)
        self.messaging = LocalMessaging(
            supabase_env=self.config.client_env(),
            run_dir=self.config.run_dir,
            log_dir=self.config.log_dir,
            simulator_port=SIMULATOR_PORT,
            webhook_port=WEBHOOK_PORT,
        )
        self.cups_dir = self.config.state_dir / "cups"
        self.print_agent = ManagedProcess("print-agent", self.config.run_dir)
        self.web_app = LocalWebApp(self.config)

    def up(self) -> list[ProcessStatus]:
        """Start what is not running and wait until every process answers."""
        self.stack.up()
        self.messaging.start(worker_count=0)
        for name in LOCAL_WORKERS:
            self._start_worker(name)
        self._start_printing()
        for name in LOCAL_WORKERS:
            wait_until(
                functools.partial(self._worker_healthy, name),
                f"{name}'s health endpoint",
                timeout=READY_SECONDS,
                log_file=self.config.log_dir / f"{name}.log",
            )
        wait_until(
            lambda: self._print_agent_health() == OK,
            "the print agent's first heartbeat",
            timeout=READY_SECONDS,
            log_file=self.config.log_dir / "print-agent.log",
        )
        self.web_app.start()
        return self.status()

    def _start_worker(self, name: str) -> None:
        """A worker with its health endpoint on a port recorded beside its pid (for status)."""
        if self.messaging.worker(name).pid() is not None:
            return
        port = free_port()
        self._health_port_file(name).write_text(f"{port}\n")
        self.messaging.start_worker(name, WORKER_METRICS_PORT=str(port))

    def _health_port_file(self, worker: str) -> Path:
        return self.config.run_dir / f"{worker}.health-port"

    def _start_printing(self) -> None:
        """A private cupsd whose Label queue writes PDFs, and the agent as the demo station."""
        cups = local_cups.start(self.cups_dir)
        if self.print_agent.pid() is None:
            env = {**self.config.client_env(), **DEMO_STATION, **cups.env()}
            self.print_agent.start(
                [HM_COMMAND, "pi", "run"], self.config.log_dir / "print-agent.log", env
            )

    def status(self) -> list[ProcessStatus]:
        """Every process `up` starts, with its pid and whether it answers."""
        return [*stack_status(self.stack), *self.status_around_stack()]

    def status_around_stack(self) -> list[ProcessStatus]:
        """The processes `up` starts besides the stack's own."""
        simulator = self.messaging.simulator
        webhook_url = self.messaging.webhook_url
        cupsd = ManagedProcess("cupsd", self.cups_dir.resolve() / "run")
        cups_socket = self.cups_dir.resolve() / "cups.sock"
        return [
            probe(
                "provider-simulator",
                simulator.process.pid(),
                simulator.url,
                lambda: http_health(f"{simulator.url}/health"),
            ),
            probe(
                "webhook",
                self.messaging.webhook.pid(),
                webhook_url,
                lambda: http_health(f"{webhook_url}/health"),
            ),
            *(self._worker_status(name) for name in LOCAL_WORKERS),
            probe("cupsd", cupsd.pid(), str(cups_socket), lambda: unix_socket_health(cups_socket)),
            probe(
                "print-agent",
                self.print_agent.pid(),
                f"tags: {self.cups_dir / 'output' / 'label-output.pdf'}",
                self._print_agent_health,
            ),
            probe(
                "web-app",
                self.web_app.process.pid(),
                self.web_app.url,
                lambda: http_health(f"{self.web_app.url}/config.js"),
            ),
        ]

    def _worker_status(self, name: str) -> ProcessStatus:
        try:
            port = int(self._health_port_file(name).read_text())
        except (FileNotFoundError, ValueError):
            port = None
        url = f"http://127.0.0.1:{port}/health" if port else ""

        def health() -> str:
            return http_health(url) if url else "no health port recorded (started by hand?)"

        return probe(name, self.messaging.worker(name).pid(), url or "(worker)", health)

    def _worker_healthy(self, name: str) -> bool:
        return self._worker_status(name).healthy

    def _print_agent_health(self) -> str:
        """OK while the demo station's heartbeats arrive (the agent writes one per interval)."""
        with psycopg.connect(self.config.db_url(), connect_timeout=2) as conn:
            row = conn.execute(
                "select extract(epoch from now() - d.last_seen_at) from public.devices d"
                " join auth.users u on u.id = d.user_id where u.email = %s",
                (DEMO_STATION["HM_DEVICE_EMAIL"],),
            ).fetchone()
        if row is None or row[0] is None:
            return "no heartbeat yet (see print-agent.log)"
        silent = float(row[0])
        if silent > MISSED_HEARTBEATS * HEARTBEAT_SECONDS:
            return f"no heartbeat for {silent:.0f} s (see print-agent.log)"
        return OK

    def down(self) -> list[str]:
        for name in LOCAL_WORKERS:
            self.messaging.worker(
                name
            )  # so messaging.stop() knows the workers an earlier run started
        stopped = ["web-app"] if self.web_app.stop() else []
        if self.print_agent.stop():
            stopped.append("print-agent")
        if local_cups.stop(self.cups_dir):
            stopped.append("cupsd")
        return stopped + self.messaging.stop() + self.stack.down()
