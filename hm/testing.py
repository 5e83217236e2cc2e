"""One local stack per pytest session, on free ports in a private folder, torn down at the end.

Both the pgTAP plugin and the Python tests' `stack` fixture use it, so a run starts exactly
one stack and no test depends on something started by hand.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from hm.stack.config import StackConfig
from hm.stack.manager import LocalStack

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


def session_stack(config: pytest.Config) -> LocalStack:
    """Start (once) and return the test session's stack, without demo seed data."""
    if _STACK_KEY in config.stash:
        return config.stash[_STACK_KEY]
    state_dir = Path(tempfile.mkdtemp(prefix="hm-test-stack-"))
    state_dir.chmod(0o755)
    stack = LocalStack(test_stack_config(state_dir))

    def tear_down() -> None:
        stack.down()
        if not os.environ.get("HM_KEEP_TEST_STACK"):
            shutil.rmtree(stack.config.db_dir.parent, ignore_errors=True)
            shutil.rmtree(state_dir, ignore_errors=True)

    config.add_cleanup(tear_down)
    config.stash[_STACK_KEY] = stack
    stack.up(seed=False)
    return stack
