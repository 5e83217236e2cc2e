"""One local stack per pytest session, on free ports in a private folder, torn down at the end.

Both the pgTAP plugin and the Python tests' `stack` fixture use it, so a run starts exactly
one stack and no test depends on something started by hand.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devstack.stack.config import StackConfig
from devstack.stack.manager import LocalStack

_STACK_KEY = pytest.StashKey[LocalStack]()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_stack_config(state_dir: Path) -> StackConfig:
    return StackConfig(
        state_dir=state_dir,
        api_port=free_port(),
        db_port=free_port(),
        rest_port=free_port(),
        rest_admin_port=free_port(),
    )


def new_private_stack() -> LocalStack:
    """A stack in a fresh temporary folder on free ports (not started)."""
    state_dir = Path(tempfile.mkdtemp(prefix="hm-test-stack-"))
    state_dir.chmod(0o755)
    return LocalStack(test_stack_config(state_dir))


def destroy_private_stack(stack: LocalStack) -> None:
    """Stop its processes and delete its files (kept when HM_KEEP_TEST_STACK is set)."""
    stack.down()
    if not os.environ.get("HM_KEEP_TEST_STACK"):
        shutil.rmtree(stack.config.db_dir.parent, ignore_errors=True)
        shutil.rmtree(stack.config.state_dir, ignore_errors=True)


def wait_for_table_in_rest(stack: LocalStack, table: str, settle_seconds: float = 1.0) -> None:
    """After DDL and `notify pgrst`, wait until PostgREST serves `table` and keeps serving it for
    `settle_seconds`. PostgREST 12.0.2 can finish an older, overlapping schema reload after the
    newer one and fall back to a cache without the table (upstream issue #2791); requests then
    get a 404 with an empty body, which supabase-py raises as an APIError with every field None."""
    url = f"{stack.config.api_url}/rest/v1/{table}"
    headers = {"apikey": stack.config.service_role_key}
    deadline = time.monotonic() + 60.0
    served_since: float | None = None
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            served = client.get(url, headers=headers).status_code == 200
            now = time.monotonic()
            if not served:
                served_since = None
            elif served_since is None:
                served_since = now
            elif now - served_since >= settle_seconds:
                return
            time.sleep(0.02)
    raise AssertionError(f"PostgREST never settled on a schema cache with {table}")


@contextlib.contextmanager
def private_stack(*, seed: bool = False) -> Iterator[LocalStack]:
    """A running stack of its own for a benchmark or a test that must not share one."""
    stack = new_private_stack()
    try:
        stack.up(seed=seed)
        yield stack
    finally:
        destroy_private_stack(stack)


def session_stack(config: pytest.Config) -> LocalStack:
    """Start (once) and return the test session's stack, without demo seed data."""
    if _STACK_KEY in config.stash:
        return config.stash[_STACK_KEY]
    stack = new_private_stack()
    config.add_cleanup(lambda: destroy_private_stack(stack))
    config.stash[_STACK_KEY] = stack
    stack.up(seed=False)
    return stack
