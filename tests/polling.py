"""Wait for something the system does in the background (a worker, the print agent, CUPS)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Value = TypeVar("Value")


def wait_for(
    fetch: Callable[[], Value],
    done: Callable[[Value], bool] = bool,
    *,
    seconds: float = 30.0,
    what: str = "condition",
    state: Callable[[], object] | None = None,
    interval: float = 0.2,
) -> Value:
    """Call `fetch` until `done(value)`, and return that value; fail after `seconds` saying what
    was awaited and the last value (or `state()`, when given)."""
    deadline = time.monotonic() + seconds
    while not done(value := fetch()):
        if time.monotonic() > deadline:
            seen = state() if state else value
            raise AssertionError(f"{what} not reached within {seconds:.0f} s (state: {seen})")
        time.sleep(interval)
    return value


def eventually(
    check: Callable[[], bool],
    seconds: float = 30.0,
    what: str = "condition",
    state: Callable[[], object] | None = None,
) -> None:
    wait_for(check, seconds=seconds, what=what, state=state)
