"""Run the simulator as a background server of its own (tests, benchmarks, the local stack)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx

from devstack.simulators.config import SimulatorConfig
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import ManagedProcess, wait_until


class SimulatorProcess:
    """`hm sim serve` on `port`, its pid in `run_dir/provider-simulator.pid`."""

    def __init__(self, run_dir: Path, log_dir: Path, port: int, config: SimulatorConfig) -> None:
        self.process = ManagedProcess("provider-simulator", run_dir)
        self.log_file = log_dir / "provider-simulator.log"
        self.port = port
        self.config = config

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it unless it already runs, then wait until it answers."""
        if self.process.pid() is None:
            refuse_port_in_use(self.port, "the provider simulator", "HM_SIM_PORT")
            argv = [
                sys.executable,
                "-m",
                "devstack.simulators",
                "--port",
                str(self.port),
                "--config-json",
                self.config.model_dump_json(),
            ]
            self.process.start(argv, self.log_file)
        wait_until(self.ready, "the provider simulator", log_file=self.log_file)

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> bool:
        return self.process.stop()

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change settings of the running simulator (see SimulatorConfig)."""
        response = httpx.post(f"{self.url}/_sim/config", content=json.dumps(changes), timeout=5)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result
