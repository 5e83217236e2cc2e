"""Finish CSV imports in the background, so an import survives its browser tab being closed:
every pass runs the chunks of each running import until none is pending. Chunks are claimed in
SQL with `for update skip locked` (`run_contact_import_chunk`), so this worker, a browser tab
and the CLI can share one import, and a killed runner's open chunk is simply claimed again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from supabase import AsyncClient

log = logging.getLogger(__name__)

CHUNK_SIZE = 500


class ImportStore(Protocol):
    async def running_imports(self) -> list[str]:
        """Ids of imports that have started and still have pending rows."""

    async def run_chunk(self, import_id: str, size: int) -> int:
        """Import up to `size` pending rows; returns how many are still pending."""


@dataclass
class SupabaseImportStore:
    """The import job functions through supabase-py as the service role."""

    client: AsyncClient

    async def running_imports(self) -> list[str]:
        answer: Any = await (
            self.client.table("contact_imports")
            .select("id")
            .eq("status", "running")
            .order("created_at")
            .execute()
        )
        return [str(row["id"]) for row in answer.data or []]

    async def run_chunk(self, import_id: str, size: int) -> int:
        answer: Any = await self.client.rpc(
            "run_contact_import_chunk", {"p_import_id": import_id, "p_size": size}
        ).execute()
        return int(answer.data)


@dataclass
class ImportRunner:
    store: ImportStore
    interval_seconds: float = 5.0
    chunk_size: int = CHUNK_SIZE

    async def run_once(self, stop: asyncio.Event) -> int:
        """Run every running import to its end (or until `stop`); returns the chunks run."""
        chunks = 0
        for import_id in await self.store.running_imports():
            while not stop.is_set():
                pending = await self.store.run_chunk(import_id, self.chunk_size)
                chunks += 1
                if pending == 0:
                    log.info("import finished", extra={"import_id": import_id})
                    break
        return chunks

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: a pass now, then one every interval. A failed pass (database away) is
        logged and tried again at the next interval; a chunk is one transaction, so nothing is
        imported twice."""
        while not stop.is_set():
            try:
                await self.run_once(stop)
            except Exception:
                log.exception("running imports failed; retrying in %.0f s", self.interval_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_seconds)
