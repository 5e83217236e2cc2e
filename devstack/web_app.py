"""The SPA on the local system: built from frontend/ and served as a static host serves it
(frontend/scripts/serve.mjs: files, an SPA fallback, and /config.js for this stack)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

import httpx

from devstack.stack.config import REPO_ROOT, StackConfig
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import ManagedProcess, wait_until
from hm.errors import HmError

FRONTEND_DIR = REPO_ROOT / "frontend"
# Beside the simulator (54340) and webhook (54350) ports, overridable like them.
WEB_PORT = int(os.environ.get("HM_WEB_PORT", 54360))


@dataclass
class LocalWebApp:
    config: StackConfig
    port: int = WEB_PORT

    def __post_init__(self) -> None:
        self.process = ManagedProcess("web-app", self.config.run_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> int:
        """Build (so the served app matches the working tree) and serve, unless already served."""
        existing = self.process.pid()
        if existing is not None:
            return existing
        refuse_port_in_use(self.port, "the web app", "HM_WEB_PORT")
        build = subprocess.run(["npm", "--prefix", str(FRONTEND_DIR), "run", "--silent", "build"])
        if build.returncode != 0:
            raise HmError("building the web app failed (npm run build): see its output above")
        log_file = self.config.log_dir / "web-app.log"
        pid = self.process.start(
            ["node", str(FRONTEND_DIR / "scripts" / "serve.mjs"), "--port", str(self.port)],
            log_file,
            self.config.client_env(),
        )
        wait_until(self._ready, "the web app", log_file=log_file)
        return pid

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/config.js", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> bool:
        return self.process.stop()
