"""Fixtures for the print agent: a real private cupsd with a queue that writes PDFs to a file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pi_agent import local_cups
from pi_agent.local_cups import LocalCups


@pytest.fixture(scope="session")
def cups_server() -> Iterator[LocalCups]:
    """One cupsd for the session (ready in milliseconds; stopped by its recorded pid)."""
    # Not under pytest's tmp_path: its parents are 0700 and CUPS filters run as `lp`.
    state_dir = Path(tempfile.mkdtemp(prefix="hm-test-cups-"))
    server = local_cups.start(state_dir)
    yield server
    server.stop()
    shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture
def cups(cups_server: LocalCups) -> Iterator[LocalCups]:
    """The session's cupsd with its queue enabled, accepting, empty, and no output file."""
    server = local_cups.start(cups_server.state_dir, queue=cups_server.queue)
    server.admin("cancel", "-a", server.queue)
    server.admin("cupsenable", server.queue)
    server.admin("cupsaccept", server.queue)
    server.output_path.unlink(missing_ok=True)
    yield server
    server.admin("cupsenable", server.queue)
    server.admin("cupsaccept", server.queue)
