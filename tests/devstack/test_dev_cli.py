"""`hm dev up | status | down`: the whole system on private ports, every process listed with its
pid and health, a dead one reported, and everything stopped by its recorded pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.stack.config import StackConfig
from devstack.stack.processes import free_port, is_alive
from devstack.testing import destroy_private_stack, new_private_stack
from tests.polling import wait_for

HM = str(Path(sys.executable).with_name("hm"))
PROCESSES = (
    "postgres",
    "postgrest",
    "gateway",
    "provider-simulator",
    "webhook",
    "worker-1",
    "cupsd",
    "print-agent",
    "web-app",
)


@pytest.fixture
def own_dev_env() -> Iterator[tuple[dict[str, str], StackConfig]]:
    stack = new_private_stack()
    config = stack.config
    env = {
        **os.environ,
        "HM_STATE_DIR": str(config.state_dir),
        "HM_API_PORT": str(config.api_port),
        "HM_DB_PORT": str(config.db_port),
        "HM_REST_PORT": str(config.rest_port),
        "HM_REST_ADMIN_PORT": str(config.rest_admin_port),
        "HM_SIM_PORT": str(free_port()),
        "HM_WEBHOOK_PORT": str(free_port()),
        "HM_WEB_PORT": str(free_port()),
        "COLUMNS": "200",  # one table row per line
    }
    yield env, config
    subprocess.run([HM, "dev", "down"], env=env, capture_output=True, check=False, timeout=120)
    destroy_private_stack(stack)


def hm_dev(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HM, "dev", command], env=env, capture_output=True, text=True, check=False, timeout=240
    )


def rows(output: str) -> dict[str, str]:
    """Each process's table row, by process name."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        cells = line.strip("│┃ ").split()
        if cells and cells[0] in PROCESSES:
            found[cells[0]] = line
    return found


def test_dev_up_status_and_down(own_dev_env: tuple[dict[str, str], StackConfig]) -> None:
    env, config = own_dev_env
    started = hm_dev("up", env)
    assert started.returncode == 0, started.stdout + started.stderr

    status = hm_dev("status", env)
    assert status.returncode == 0, status.stdout + status.stderr
    listed = rows(status.stdout)
    assert set(listed) == set(PROCESSES), status.stdout
    assert all("running" in row and " ok" in row for row in listed.values()), status.stdout
    stack_status = subprocess.run(
        [HM, "stack", "status"], env=env, capture_output=True, text=True, check=False
    )
    assert stack_status.returncode == 0, stack_status.stdout
    assert set(rows(stack_status.stdout)) == set(PROCESSES), stack_status.stdout

    worker_pid = int((config.run_dir / "worker-1.pid").read_text())
    os.kill(worker_pid, signal.SIGKILL)
    wait_for(lambda: is_alive(worker_pid), lambda alive: not alive, what="the worker gone")
    dead = hm_dev("status", env)
    assert dead.returncode == 1
    assert "stopped" in rows(dead.stdout)["worker-1"]

    pids = {p.stem: int(p.read_text()) for p in config.run_dir.glob("*.pid")}
    stopped = hm_dev("down", env)
    assert stopped.returncode == 0, stopped.stderr
    assert not any(is_alive(pid) for pid in pids.values())
    assert hm_dev("status", env).returncode == 1
