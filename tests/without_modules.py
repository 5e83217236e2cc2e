"""Run code as on a machine that installed only one extra: in a fresh interpreter where
importing any of the given top-level modules raises ImportError."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable


def run_without(modules: Iterable[str], code: str) -> subprocess.CompletedProcess[str]:
    hide = f"import sys\nfor name in {tuple(modules)!r}:\n    sys.modules[name] = None\n"
    return subprocess.run(
        [sys.executable, "-c", hide + code], capture_output=True, text=True, check=False
    )
