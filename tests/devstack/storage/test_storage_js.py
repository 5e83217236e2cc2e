"""Storage through supabase-js under Node (the official JavaScript client, as the SPA uses it)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from devstack.stack.config import TOOLS_DIR
from tests.devstack.storage.conftest import AVATARS, LIMITED, PRIVATE, User

SCRIPT = Path(__file__).parent / "js" / "storage.mjs"
EXPECTED_CHECKS = 14


def test_supabase_js(supabase_env: dict[str, str], make_user: Callable[..., User]) -> None:
    alice, bob = make_user(), make_user()
    env = {
        **os.environ,
        **supabase_env,
        "NODE_PATH": str(TOOLS_DIR / "node_modules"),
        "ALICE_ID": alice.id,
        "ALICE_TOKEN": alice.token,
        "BOB_ID": bob.id,
        "BOB_TOKEN": bob.token,
        "PRIVATE_BUCKET": PRIVATE,
        "AVATARS_BUCKET": AVATARS,
        "LIMITED_BUCKET": LIMITED,
    }
    result = subprocess.run(
        ["node", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout
    passed = json.loads(result.stdout.strip().splitlines()[-1])["passed"]
    assert len(passed) == EXPECTED_CHECKS, passed
