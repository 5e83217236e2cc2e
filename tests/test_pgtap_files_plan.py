"""One pgTAP convention (issue 12): every file states how many assertions it makes with
`plan(n)`, so a file that stops early (an error the transaction swallowed, an assertion skipped
by a changed branch) fails as "planned n but ran m" instead of passing with fewer checks."""

from __future__ import annotations

import re
from pathlib import Path

PGTAP = Path(__file__).resolve().parents[1] / "supabase" / "tests" / "database"
PLAN = re.compile(r"^select (\* from )?plan\(\d+\);$", re.MULTILINE)


def test_every_pgtap_file_plans_its_assertions() -> None:
    files = sorted(PGTAP.glob("*.sql"))
    assert files
    unplanned = [
        f.name for f in files if "no_plan()" in f.read_text() or not PLAN.search(f.read_text())
    ]
    assert unplanned == []
