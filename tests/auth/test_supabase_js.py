"""supabase-js 2.x under Node 20 against the local Auth service (tests/auth/js/auth_flows.mjs)."""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

from devstack.stack.config import TOOLS_DIR
from devstack.stack.manager import LocalStack

SCRIPT = Path(__file__).parent / "js" / "auth_flows.mjs"


def test_supabase_js_password_refresh_admin_logout_and_phone_code(
    stack: LocalStack,
    unique_phone: Callable[[], str],
    last_code: Callable[[str], str | None],
) -> None:
    env = {
        **os.environ,
        **stack.config.client_env(),
        "NODE_PATH": str(TOOLS_DIR / "node_modules"),
        "TEST_EMAIL": f"js-{random.randrange(10**9)}@example.com",
        "TEST_PHONE": unique_phone(),
    }
    lines: list[str] = []
    with subprocess.Popen(
        ["node", str(SCRIPT)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as node:
        assert node.stdin is not None
        assert node.stdout is not None
        assert node.stderr is not None
        for line in node.stdout:
            lines.append(line)
            message = json.loads(line)
            if "need_code" in message:
                code = last_code(message["need_code"])
                assert code is not None, "the hook received no code"
                node.stdin.write(code + "\n")
                node.stdin.flush()
        stderr = node.stderr.read()
        node.wait(timeout=60)
    assert lines, stderr
    assert json.loads(lines[-1]) == {"ok": True}, "".join(lines) + stderr
    assert node.returncode == 0
