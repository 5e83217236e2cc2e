"""Run the messaging side locally against the provider simulator: simulator, webhook server and
workers as background processes with recorded pids (what the stack manager, the README's run
command, the integration tests and the benchmarks start)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.simulators.config import SimulatorConfig
from devstack.simulators.process import SimulatorProcess
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import ManagedProcess, wait_until

# The `hm` console script of this environment (installed next to its Python).
HM_COMMAND = str(Path(sys.executable).with_name("hm"))


def worker_name(number: int) -> str:
    """The name (and pid-file stem) of the `number`-th worker `LocalMessaging.start` runs."""
    return f"worker-{number}"


def local_messaging_env(
    supabase_env: dict[str, str], simulator: SimulatorConfig, simulator_url: str, webhook_port: int
) -> dict[str, str]:
    """The environment `hm worker run` and `hm webhook serve` need to use the simulator."""
    return {
        **supabase_env,
        "TWILIO_ACCOUNT_SID": simulator.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": simulator.twilio_auth_token,
        "TWILIO_API_BASE_URL": simulator_url,
        "MAILERSEND_API_KEY": simulator.mailersend_api_key,
        "MAILERSEND_BASE_URL": f"{simulator_url}/v1/",
        "MAILERSEND_WEBHOOK_SECRET": simulator.mailersend_webhook_secret,
        "WEBHOOK_PUBLIC_URL": f"http://127.0.0.1:{webhook_port}",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(webhook_port),
    }


@dataclass
class LocalMessaging:
    """Simulator + webhook server + N workers for one local stack (ports chosen by the caller)."""

    supabase_env: dict[str, str]
    run_dir: Path
    log_dir: Path
    simulator_port: int = 54340
    webhook_port: int = 54350
    simulator_config: SimulatorConfig = field(default_factory=SimulatorConfig)
    # "rest" (PostgREST RPC, the default deployment) or "postgres" (direct pool).
    outbox_transport: str = "rest"
    # Webhook server processes (WEBHOOK_PROCESSES).
    webhook_processes: int = 1
    workers: dict[str, ManagedProcess] = field(default_factory=dict)

    def __post_init__(self) -> None:
        public = f"http://127.0.0.1:{self.webhook_port}"
        self.simulator_config = self.simulator_config.model_copy(
            update={
                "twilio_inbound_url": f"{public}/twilio/inbound",
                "mailersend_webhook_url": f"{public}/mailersend/events",
            }
        )
        self.simulator = SimulatorProcess(
            self.run_dir, self.log_dir, self.simulator_port, self.simulator_config
        )
        self.webhook = ManagedProcess("webhook", self.run_dir)

    @property
    def env(self) -> dict[str, str]:
        return {
            **local_messaging_env(
                self.supabase_env, self.simulator_config, self.simulator.url, self.webhook_port
            ),
            "OUTBOX_TRANSPORT": self.outbox_transport,
            "WEBHOOK_PROCESSES": str(self.webhook_processes),
        }

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}"

    def start(self, worker_count: int = 1) -> None:
        """Start (idempotently) the simulator, the webhook server and `worker_count` workers."""
        self.simulator.start()
        if self.webhook.pid() is None:
            refuse_port_in_use(self.webhook_port, "the webhook server", "HM_WEBHOOK_PORT")
            log_file = self.log_dir / "webhook.log"
            self.webhook.start([HM_COMMAND, "webhook", "serve"], log_file, self.env)
            wait_until(self._webhook_ready, "the webhook server", log_file=log_file)
        for number in range(1, worker_count + 1):
            self.start_worker(worker_name(number))

    def worker(self, name: str) -> ManagedProcess:
        """The named worker's process record (its pid file lives in `run_dir`), so a later `hm`
        run can report on and stop workers an earlier run started."""
        return self.workers.setdefault(name, ManagedProcess(name, self.run_dir))

    def start_worker(self, name: str, **extra_env: str) -> int:
        process = self.worker(name)
        existing = process.pid()
        if existing is not None:
            return existing
        env = {**self.env, "WORKER_ID": name, **extra_env}
        return process.start([HM_COMMAND, "worker", "run"], self.log_dir / f"{name}.log", env)

    def _webhook_ready(self) -> bool:
        try:
            return httpx.get(f"{self.webhook_url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> list[str]:
        """Stop what this started (workers first, so none is left calling a stopped simulator)."""
        stopped = [name for name, process in self.workers.items() if process.stop()]
        if self.webhook.stop():
            stopped.append("webhook")
        if self.simulator.stop():
            stopped.append("provider-simulator")
        return stopped
