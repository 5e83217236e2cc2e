"""Where the local stack keeps its files and which ports it listens on."""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from devstack.stack.keys import LOCAL_JWT_SECRET, api_key

REPO_ROOT = Path(__file__).resolve().parents[2]
SUPABASE_DIR = REPO_ROOT / "supabase"
PLATFORM_SQL_DIR = REPO_ROOT / "sql" / "platform"
TOOLS_DIR = REPO_ROOT / "tools"
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class StackConfig:
    """Everything the processes of one local stack need to agree on."""

    state_dir: Path
    api_port: int = 54321
    db_port: int = 54322
    rest_port: int = 54331
    rest_admin_port: int = 54332
    jwt_secret: str = LOCAL_JWT_SECRET
    api_schemas: tuple[str, ...] = ("public", "graphql_public")
    extra_search_path: tuple[str, ...] = ("public", "extensions")
    max_rows: int = 1000
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> StackConfig:
        """The stack of this checkout: `.hm/` in the repository, Supabase CLI ports."""
        api = _api_section()
        return cls(
            state_dir=Path(os.environ.get("HM_STATE_DIR", REPO_ROOT / ".hm")),
            api_port=_env_int("HM_API_PORT", 54321),
            db_port=_env_int("HM_DB_PORT", 54322),
            rest_port=_env_int("HM_REST_PORT", 54331),
            rest_admin_port=_env_int("HM_REST_ADMIN_PORT", 54332),
            api_schemas=tuple(api.schemas),
            extra_search_path=tuple(api.extra_search_path),
            max_rows=api.max_rows,
        )

    @property
    def run_dir(self) -> Path:
        return self.state_dir / "run"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def db_dir(self) -> Path:
        """The cluster's home. It must be reachable by the `postgres` OS user, which cannot
        always enter the checkout (for instance under /root), so it may live elsewhere."""
        return postgres_home(self.state_dir) / "db"

    @property
    def socket_dir(self) -> Path:
        return postgres_home(self.state_dir) / "socket"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    def db_url(self, user: str = "postgres") -> str:
        return f"postgresql://{user}:postgres@127.0.0.1:{self.db_port}/postgres"

    @property
    def anon_key(self) -> str:
        return api_key("anon", self.jwt_secret)

    @property
    def service_role_key(self) -> str:
        return api_key("service_role", self.jwt_secret)

    def client_env(self) -> dict[str, str]:
        """The environment every component reads (see hm.settings)."""
        return {
            "SUPABASE_URL": self.api_url,
            "SUPABASE_ANON_KEY": self.anon_key,
            "SUPABASE_SERVICE_ROLE_KEY": self.service_role_key,
            "SUPABASE_JWT_SECRET": self.jwt_secret,
            "SUPABASE_DB_URL": self.db_url(),
        }


class ApiSection(BaseModel):
    """The `[api]` table of supabase/config.toml: what PostgREST exposes."""

    schemas: list[str] = ["public", "graphql_public"]
    extra_search_path: list[str] = ["public", "extensions"]
    max_rows: int = 1000


def _api_section() -> ApiSection:
    with (SUPABASE_DIR / "config.toml").open("rb") as handle:
        return ApiSection.model_validate(tomllib.load(handle).get("api", {}))


def postgres_home(state_dir: Path) -> Path:
    """The folder holding the cluster's data and socket.

    It is `state_dir` itself when the `postgres` user can reach it; otherwise a folder under
    /var/tmp named after `state_dir`, so several checkouts never share a cluster.
    """
    if os.geteuid() != 0 or _world_traversable(state_dir):
        return state_dir
    digest = hashlib.sha256(str(state_dir.resolve()).encode()).hexdigest()[:12]
    return Path("/var/tmp/hello-miami") / digest


def _world_traversable(path: Path) -> bool:
    resolved = path.resolve()
    for parent in [resolved, *resolved.parents]:
        if parent.exists() and not parent.stat().st_mode & 0o001:
            return False
    return True
