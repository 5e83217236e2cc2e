"""OutboxStore and WebhookStore on the database's SQL functions, called through PostgREST RPC
with the service-role key (supabase-py async client). Every state change is one SQL call; the
functions enforce the rules (forward-only status, opt-outs, pacing)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from postgrest.exceptions import APIError
from postgrest.types import CountMethod
from supabase import AsyncClient

from workers.ports import (
    TOKEN_REFUSALS,
    AutomationRun,
    InvalidUnsubscribeToken,
    OutboundMessage,
    SentResult,
    UnresolvedSend,
)


class SupabaseOutboxStore:
    def __init__(self, client: AsyncClient) -> None:
        self.client = client

    async def _rpc(self, function: str, params: dict[str, Any]) -> Any:
        response = await self.client.rpc(function, params).execute()
        return response.data

    async def claim(
        self,
        worker_id: str,
        channel: str,
        limit: int,
        lease_seconds: int,
        now: datetime | None = None,
    ) -> list[OutboundMessage]:
        params: dict[str, Any] = {
            "p_worker_id": worker_id,
            "p_channel": channel,
            "p_limit": limit,
            "p_lease_seconds": lease_seconds,
        }
        if now is not None:
            params["p_now"] = now.isoformat()
        rows = await self._rpc("claim_outbound_messages_v3", params)
        return [OutboundMessage.from_row(row) for row in rows or []]

    async def mark_sending(self, message_ids: list[str], worker_id: str) -> set[str]:
        rows = await self._rpc(
            "mark_messages_sending", {"p_message_ids": message_ids, "p_worker_id": worker_id}
        )
        return {str(row) for row in rows or []}

    async def record_sent(self, results: list[SentResult]) -> None:
        busy = await self._rpc(
            "record_messages_sent",
            {"p_results": [dataclasses.asdict(result) for result in results]},
        )
        # Left out because a status callback held their provider id: one by one, which waits.
        by_id = {result.message_id: result for result in results}
        for message_id in busy or []:
            result = by_id[str(message_id)]
            await self._rpc(
                "record_message_sent",
                {
                    "p_message_id": result.message_id,
                    "p_provider_id": result.provider_id,
                    "p_provider_status": result.provider_status,
                },
            )

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None:
        await self._rpc(
            "record_message_failed",
            {
                "p_message_id": message_id,
                "p_error_code": code,
                "p_error_message": detail[:500],
                "p_retry_after_seconds": retry_after_seconds,
            },
        )

    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]:
        rows = await self._rpc(
            "list_unresolved_sends_v2", {"p_older_than_seconds": older_than_seconds}
        )
        return [
            UnresolvedSend(
                id=str(row["id"]),
                channel=str(row["channel"]),
                to_address=str(row["to_address"]),
                body=str(row.get("body") or ""),
                attempt=int(row["attempts"]),
                send_started_at=(
                    datetime.fromisoformat(row["send_started_at"])
                    if row.get("send_started_at")
                    else None
                ),
                from_number=row.get("from_number"),
                messaging_service_sid=row.get("messaging_service_sid"),
            )
            for row in rows or []
        ]

    async def resolve_unresolved(
        self, message_id: str, attempt: int, provider_ids: list[str]
    ) -> str:
        outcome = await self._rpc(
            "resolve_unresolved_send_v2",
            {"p_message_id": message_id, "p_attempt": attempt, "p_provider_ids": provider_ids},
        )
        return str(outcome)

    async def run_due_automations(self) -> list[AutomationRun]:
        rows = await self._rpc("run_due_automations", {})
        return [AutomationRun.from_row(row) for row in rows or []]

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        rows = await self._rpc("unsubscribe_tokens", {"p_message_ids": message_ids})
        return {str(row["message_id"]): str(row["token"]) for row in rows or []}

    async def one_click_unsubscribe(self, token: str) -> bool:
        try:
            return bool(await self._rpc("one_click_unsubscribe", {"p_token": token}))
        except APIError as error:
            if error.message in TOKEN_REFUSALS:
                raise InvalidUnsubscribeToken(str(error.message)) from error
            raise

    async def queue_depth(self, channel: str) -> int:
        """Messages of `channel` waiting in the outbox (blast recipients not yet materialised are
        not counted: the claim turns them into messages a few at a time)."""
        response = (
            await self.client.table("messages")
            .select("id", count=CountMethod.exact, head=True)
            .eq("status", "queued")
            .eq("channel", channel)
            .execute()
        )
        return int(response.count or 0)

    async def store_event(
        self, provider: str, event_id: str, event_type: str, payload: dict[str, Any]
    ) -> tuple[str, bool]:
        rows = await self._rpc(
            "store_webhook_event",
            {
                "p_provider": provider,
                "p_event_id": event_id,
                "p_event_type": event_type,
                "p_payload": payload,
            },
        )
        row = rows[0] if isinstance(rows, list) else rows
        return str(row["event_id"]), bool(row["duplicate"])

    async def process_event(self, event_id: str) -> dict[str, Any]:
        result = await self._rpc("process_webhook_event", {"p_event_id": event_id})
        return dict(result or {})

    async def list_deferred(self, older_than_seconds: int, limit: int) -> list[str]:
        rows = await self._rpc(
            "list_replayable_webhook_events",
            {"p_older_than_seconds": older_than_seconds, "p_limit": limit},
        )
        return [str(event_id) for event_id in rows or []]

    async def replay_event(self, event_id: str) -> dict[str, Any]:
        result = await self._rpc("replay_webhook_event", {"p_event_id": event_id})
        return dict(result or {})
