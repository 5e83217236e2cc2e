"""The print queue as the device sees it: the printing contract's SQL functions, called as the
device user through PostgREST (supabase-py). The agent never needs the service role key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from postgrest.exceptions import APIError
from supabase import AsyncClient


class JobRefused(Exception):
    """The database refused a transition; `code` is the contract's stable error code
    (e.g. `lease_lost`, `unknown_job`, `invalid_transition`, `not_allowed`)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


@dataclass(frozen=True)
class PrintJob:
    id: str
    payload: dict[str, Any]
    attempts: int
    created_at: str
    kind: str


@dataclass(frozen=True)
class AgentBeat:
    """What a heartbeat tells the health page besides the printer: the agent's version, how
    often it beats (stale after three missed beats) and when it last claimed jobs."""

    version: str
    interval_seconds: int
    last_claim_at: datetime | None


class JobStore(Protocol):
    async def claim(self, limit: int, lease_seconds: int) -> list[PrintJob]: ...

    async def start(self, job_id: str) -> None: ...

    async def finish(
        self, job_id: str, outcome: str, cups_job_id: int | None = None, error: str | None = None
    ) -> None: ...

    async def heartbeat(self, printer_state: str, reason: str | None, beat: AgentBeat) -> None: ...


class SupabaseJobStore:
    """`JobStore` over a signed-in supabase-py async client, claiming only the job kinds the
    agent can render. Network failures propagate (httpx errors) so the agent can back off;
    refusals become `JobRefused`."""

    def __init__(self, client: AsyncClient, kinds: tuple[str, ...]) -> None:
        self.client = client
        self.kinds = kinds

    async def _rpc(self, function: str, params: dict[str, Any]) -> Any:
        try:
            return (await self.client.rpc(function, params).execute()).data
        except APIError as error:
            raise JobRefused(str(error.message), str(error.details or "")) from error

    async def claim(self, limit: int, lease_seconds: int) -> list[PrintJob]:
        # The _v2 claim takes the kinds: a job of a kind this agent cannot render stays queued.
        rows = await self._rpc(
            "claim_print_jobs_v2",
            {"p_kinds": list(self.kinds), "p_limit": limit, "p_lease_seconds": lease_seconds},
        )
        jobs = [
            PrintJob(
                str(row["id"]),
                dict(row["payload"]),
                int(row["attempts"]),
                str(row["created_at"]),
                str(row["kind"]),
            )
            for row in rows or []
        ]
        # `update … returning` hands rows back in no particular order: print oldest first.
        return sorted(jobs, key=lambda job: (datetime.fromisoformat(job.created_at), job.id))

    async def start(self, job_id: str) -> None:
        await self._rpc("start_print_job", {"p_job_id": job_id})

    async def finish(
        self, job_id: str, outcome: str, cups_job_id: int | None = None, error: str | None = None
    ) -> None:
        await self._rpc(
            "finish_print_job",
            {
                "p_job_id": job_id,
                "p_outcome": outcome,
                "p_cups_job_id": cups_job_id,
                "p_error": error,
            },
        )

    async def heartbeat(self, printer_state: str, reason: str | None, beat: AgentBeat) -> None:
        # v2 (20261125012000_process_health): v1 plus the process row; v1 stays for old agents.
        last_claim = beat.last_claim_at
        await self._rpc(
            "device_heartbeat_v2",
            {
                "p_printer_state": printer_state,
                "p_printer_state_reason": reason,
                "p_version": beat.version,
                "p_interval_seconds": beat.interval_seconds,
                "p_last_claim_at": last_claim.isoformat() if last_claim else None,
            },
        )
