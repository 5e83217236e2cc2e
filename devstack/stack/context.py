"""What the gateway's services share: the stack's configuration and a database pool."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from psycopg_pool import AsyncConnectionPool
from starlette.types import ASGIApp

from devstack.stack.config import StackConfig


@dataclass
class GatewayContext:
    config: StackConfig
    # Connected as the bootstrap superuser, like Supabase's own services; each service switches
    # to the caller's role (`set local role …`) before touching rows that RLS protects.
    pool: AsyncConnectionPool


class GatewayService(Protocol):
    """A Supabase service mounted on the gateway under `prefix` (for example `/auth/v1`)."""

    # Read-only properties, so a service may expose a more specific app type (e.g. Starlette).
    @property
    def prefix(self) -> str: ...

    @property
    def app(self) -> ASGIApp: ...

    async def startup(self) -> None: ...

    async def shutdown(self) -> None: ...


def save_config(config: StackConfig, path: Path) -> None:
    data = asdict(config)
    data["state_dir"] = str(config.state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def load_config(path: Path) -> StackConfig:
    data = json.loads(path.read_text())
    data["state_dir"] = Path(data["state_dir"])
    data["api_schemas"] = tuple(data["api_schemas"])
    data["extra_search_path"] = tuple(data["extra_search_path"])
    return StackConfig(**data)
