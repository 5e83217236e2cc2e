"""The committed TypeScript types match the migrations (regenerated from the session's stack
by @supabase/postgres-meta, the generator `supabase gen types` runs)."""

from __future__ import annotations

import os
import subprocess

from devstack.stack.manager import LocalStack
from tests.web.conftest import FRONTEND


def test_committed_database_types_match_the_migrated_database(stack: LocalStack) -> None:
    check = subprocess.run(
        ["npm", "--prefix", str(FRONTEND), "run", "--silent", "check:types"],
        env={**os.environ, "SUPABASE_DB_URL": stack.config.db_url()},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
