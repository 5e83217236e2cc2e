"""What `hm stack status` and `hm dev status` show: each process with its pid and its health,
found by asking it (a recorded pid only says the process exists, not that it answers)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from devstack.stack.manager import LocalStack

OK = "ok"
STOPPED = "stopped"


@dataclass(frozen=True)
class ProcessStatus:
    name: str
    pid: int | None
    address: str
    # OK, STOPPED, or what is wrong with a process that runs.
    health: str

    @property
    def healthy(self) -> bool:
        return self.health == OK


def probe(name: str, pid: int | None, address: str, check: Callable[[], str]) -> ProcessStatus:
    """The process's status; `check` runs only when it is alive."""
    return ProcessStatus(name, pid, address, STOPPED if pid is None else check())


def http_health(url: str) -> str:
    """OK when `url` answers 200 within a second, else what happened."""
    try:
        status = httpx.get(url, timeout=1).status_code
    except httpx.HTTPError as error:
        return f"no answer from {url}: {type(error).__name__}"
    return OK if status == 200 else f"{url} answered {status}"


def unix_socket_health(path: Path) -> str:
    """OK when something accepts connections on the socket at `path`."""
    with socket.socket(socket.AF_UNIX) as client:
        client.settimeout(1)
        try:
            client.connect(str(path))
        except OSError as error:
            return f"{path} refuses connections: {error.strerror or error}"
    return OK


def stack_status(stack: LocalStack) -> list[ProcessStatus]:
    """Postgres, PostgREST and the gateway."""
    config = stack.config

    def postgres() -> str:
        return OK if stack.postgres.accepts_connections() else "refuses connections"

    def postgrest() -> str:
        return OK if stack.postgrest.ready() else "not ready (schema cache or database)"

    return [
        probe("postgres", stack.postgres.process.pid(), config.db_url(), postgres),
        probe("postgrest", stack.postgrest.process.pid(), config.rest_url, postgrest),
        probe(
            "gateway",
            stack.gateway.pid(),
            config.api_url,
            lambda: http_health(f"{config.api_url}/health"),
        ),
    ]
