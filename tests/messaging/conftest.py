"""Fixtures for the messaging SQL tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .ready_blast import Connection, ReadyBlast, create_ready_blast, remove_ready_blast


@pytest.fixture
def make_ready_blast(db: Connection) -> Iterator[Callable[[int, float], ReadyBlast]]:
    """make(recipients, mps): an SMS sender with that MPS and a started blast to that many
    opted-in contacts. Everything is deleted afterwards so the session database stays clean
    for the other tests (pgTAP files included)."""
    created: list[ReadyBlast] = []

    def make(recipients: int, mps: float) -> ReadyBlast:
        blast = create_ready_blast(db, recipients, mps)
        created.append(blast)
        return blast

    yield make
    for blast in created:
        remove_ready_blast(db, blast)
