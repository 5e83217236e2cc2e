"""The whole system on one machine: the local stack plus the processes around it — provider
simulator, webhook server and a worker (messaging), and later the print agent with a local CUPS.

Everything is started idempotently with recorded pids and stopped by those pids.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hm.stack.config import StackConfig
from hm.stack.manager import LocalStack, ServiceStatus
from hm.stack.processes import ManagedProcess
from workers.local import LocalMessaging

# Ports beside the Supabase CLI's 5432x range, overridable like the stack's own.
SIMULATOR_PORT = int(os.environ.get("HM_SIM_PORT", 54340))
WEBHOOK_PORT = int(os.environ.get("HM_WEBHOOK_PORT", 54350))
LOCAL_WORKERS = ("worker-1",)


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

    def up(self) -> list[ServiceStatus]:
        statuses = self.stack.up()
        self.messaging.start(worker_count=len(LOCAL_WORKERS))
        return statuses + self._messaging_status()

    def _messaging_status(self) -> list[ServiceStatus]:
        return [
            ServiceStatus(
                "provider-simulator",
                self.messaging.simulator.process.pid(),
                self.messaging.simulator.url,
            ),
            ServiceStatus("webhook", self.messaging.webhook.pid(), self.messaging.webhook_url),
            *(ServiceStatus(name, self._worker(name).pid(), "(worker)") for name in LOCAL_WORKERS),
        ]

    def _worker(self, name: str) -> ManagedProcess:
        """The worker's process record, known to `messaging.stop()` even in a new `hm` run."""
        return self.messaging.workers.setdefault(name, ManagedProcess(name, self.config.run_dir))

    def down(self) -> list[str]:
        for name in LOCAL_WORKERS:
            self._worker(name)
        return self.messaging.stop() + self.stack.down()
