"""Bring the whole local stack up and down, and report what runs where."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import httpx

from devstack.db import migrations
from devstack.stack.config import SUPABASE_DIR, StackConfig
from devstack.stack.context import save_config
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.postgres import PostgresCluster
from devstack.stack.postgrest import PostgREST
from devstack.stack.processes import ManagedProcess, wait_until


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    pid: int | None
    address: str

    @property
    def running(self) -> bool:
        return self.pid is not None


class LocalStack:
    """Postgres, PostgREST and the gateway of one checkout (or one test session)."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.postgres = PostgresCluster(config)
        self.postgrest = PostgREST(config)
        self.gateway = ManagedProcess("gateway", config.run_dir)
        self.stack_file = config.run_dir / "stack.json"

    def up(self, *, seed: bool = True) -> list[ServiceStatus]:
        """Start whatever is not running, migrate, and seed a fresh database. Idempotent."""
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        self.config.state_dir.chmod(0o755)
        self.postgres.start()
        self.postgres.apply_platform()
        migrations_dir = SUPABASE_DIR / "migrations"
        applied = migrations.migrate(self.config.db_url(), migrations_dir)
        # Fresh means the first migration ran just now, not that the cluster was just made: an
        # `up` that stopped between initdb and migrating (a port in use) leaves an empty cluster.
        first = migrations.discover(migrations_dir)[0]
        if seed and any(migration.version == first.version for migration in applied):
            migrations.seed(self.config.db_url(), SUPABASE_DIR)
        self.postgrest.start()
        self._start_gateway()
        return self.status()

    def _start_gateway(self) -> None:
        if self.gateway.pid() is not None:
            return
        refuse_port_in_use(self.config.api_port, "the gateway", "HM_API_PORT")
        save_config(self.config, self.stack_file)
        log_file = self.config.log_dir / "gateway.log"
        self.gateway.start(
            [sys.executable, "-m", "devstack.stack.gateway", str(self.stack_file)],
            log_file,
            env=self.config.extra_env,
        )
        wait_until(self.gateway_ready, "the gateway", log_file=log_file)

    def gateway_ready(self) -> bool:
        try:
            return httpx.get(f"{self.config.api_url}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def down(self) -> list[str]:
        """Stop exactly the processes this stack started, newest first."""
        stopped = []
        if self.gateway.stop():
            stopped.append("gateway")
        if self.postgrest.stop():
            stopped.append("postgrest")
        if self.postgres.stop():
            stopped.append("postgres")
        return stopped

    def reset(self, *, seed: bool = True) -> list[ServiceStatus]:
        """Recreate the database from scratch: platform layer, migrations, then seed."""
        self.down()
        self.postgres.destroy()
        return self.up(seed=seed)

    def status(self) -> list[ServiceStatus]:
        c = self.config
        return [
            ServiceStatus("postgres", self.postgres.process.pid(), c.db_url()),
            ServiceStatus("postgrest", self.postgrest.process.pid(), c.rest_url),
            ServiceStatus("gateway", self.gateway.pid(), c.api_url),
        ]
