"""The whole system on one machine: the local stack plus the processes around it — provider
simulator, webhook server and a worker (messaging), the print agent with a local CUPS, and the
web app (built and served).

Everything is started idempotently with recorded pids and stopped by those pids.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from devstack import local_cups
from devstack.local_messaging import HM_COMMAND, LocalMessaging, worker_name
from devstack.stack.config import StackConfig
from devstack.stack.manager import LocalStack, ServiceStatus
from devstack.stack.processes import ManagedProcess
from devstack.web_app import LocalWebApp

# Ports beside the Supabase CLI's 5432x range, overridable like the stack's own.
SIMULATOR_PORT = int(os.environ.get("HM_SIM_PORT", 54340))
WEBHOOK_PORT = int(os.environ.get("HM_WEBHOOK_PORT", 54350))
LOCAL_WORKERS = (worker_name(1),)
# The print station supabase/seeds/10-people-events.sql creates (queue "Label").
DEMO_STATION = {
    "HM_DEVICE_EMAIL": "station@devices.hellomiami.local",
    "HM_DEVICE_PASSWORD": "hellomiami-demo",
}


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

    def up(self) -> list[ServiceStatus]:
        statuses = self.stack.up()
        self.messaging.start(worker_count=len(LOCAL_WORKERS))
        cups = self._start_printing()
        web_app_pid = self.web_app.start()
        return [
            *statuses,
            *self._messaging_status(),
            ServiceStatus("cupsd", cups.process.pid(), cups.server),
            ServiceStatus("print-agent", self.print_agent.pid(), f"tags: {cups.output_path}"),
            ServiceStatus("web-app", web_app_pid, self.web_app.url),
        ]

    def _start_printing(self) -> local_cups.LocalCups:
        """A private cupsd whose Label queue writes PDFs, and the agent as the demo station."""
        cups = local_cups.start(self.cups_dir)
        if self.print_agent.pid() is None:
            env = {**self.config.client_env(), **DEMO_STATION, **cups.env()}
            self.print_agent.start(
                [HM_COMMAND, "pi", "run"], self.config.log_dir / "print-agent.log", env
            )
        return cups

    def _messaging_status(self) -> list[ServiceStatus]:
        return [
            ServiceStatus(
                "provider-simulator",
                self.messaging.simulator.process.pid(),
                self.messaging.simulator.url,
            ),
            ServiceStatus("webhook", self.messaging.webhook.pid(), self.messaging.webhook_url),
            *(
                ServiceStatus(name, self.messaging.worker(name).pid(), "(worker)")
                for name in LOCAL_WORKERS
            ),
        ]

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
