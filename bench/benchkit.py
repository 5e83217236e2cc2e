"""What every benchmark script shares (they run as `python bench/<name>.py`, so this module is
importable as `benchkit`)."""

from __future__ import annotations

import math
import signal


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (`fraction` in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def stop_on_sigterm() -> None:
    """`timeout` and CI send SIGTERM: unwind normally so every started server is stopped."""

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)
