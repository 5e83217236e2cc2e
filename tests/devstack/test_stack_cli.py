"""`hm stack up | status | env | reset | down` on a stack of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import psycopg
import pytest
from typer.testing import CliRunner

from devstack.stack.config import StackConfig
from devstack.stack.processes import is_alive
from devstack.testing import destroy_private_stack, new_private_stack
from hm.cli import app


@pytest.fixture
def own_stack_env() -> Iterator[tuple[dict[str, str], StackConfig]]:
    stack = new_private_stack()
    config = stack.config
    env = {
        "HM_STATE_DIR": str(config.state_dir),
        "HM_API_PORT": str(config.api_port),
        "HM_DB_PORT": str(config.db_port),
        "HM_REST_PORT": str(config.rest_port),
        "HM_REST_ADMIN_PORT": str(config.rest_admin_port),
    }
    yield env, config
    destroy_private_stack(stack)


def recorded_pids(state_dir: Path) -> dict[str, int]:
    return {p.stem: int(p.read_text()) for p in (state_dir / "run").glob("*.pid")}


def test_stack_lifecycle(own_stack_env: tuple[dict[str, str], StackConfig]) -> None:
    env, config = own_stack_env
    runner = CliRunner()

    assert runner.invoke(app, ["stack", "status"], env=env).exit_code == 1

    started = runner.invoke(app, ["stack", "up"], env=env)
    assert started.exit_code == 0, started.output
    assert "running" in started.output
    pids = recorded_pids(config.state_dir)
    assert set(pids) == {"postgres", "postgrest", "gateway"}

    again = runner.invoke(app, ["stack", "up"], env=env)
    assert again.exit_code == 0
    assert recorded_pids(config.state_dir) == pids, "up is idempotent: nothing restarted"
    assert runner.invoke(app, ["stack", "status"], env=env).exit_code == 0

    printed = runner.invoke(app, ["stack", "env"], env=env).output
    settings = dict(line.split("=", 1) for line in printed.strip().splitlines())
    assert settings["SUPABASE_URL"] == f"http://127.0.0.1:{config.api_port}"
    for name, role in (
        ("SUPABASE_ANON_KEY", "anon"),
        ("SUPABASE_SERVICE_ROLE_KEY", "service_role"),
    ):
        claims = jwt.decode(settings[name], settings["SUPABASE_JWT_SECRET"], algorithms=["HS256"])
        assert claims["role"] == role

    with psycopg.connect(config.db_url(), autocommit=True) as conn:
        conn.execute("create table public.scratch (n int)")
    reset = runner.invoke(app, ["stack", "reset", "--no-seed"], env=env)
    assert reset.exit_code == 0, reset.output
    with psycopg.connect(config.db_url()) as conn:
        assert conn.execute("select to_regclass('public.scratch')").fetchone() == (None,)

    running = recorded_pids(config.state_dir)
    stopped = runner.invoke(app, ["stack", "down"], env=env)
    assert stopped.exit_code == 0
    assert "gateway" in stopped.output
    assert not any(is_alive(pid) for pid in running.values())
    assert runner.invoke(app, ["stack", "status"], env=env).exit_code == 1
