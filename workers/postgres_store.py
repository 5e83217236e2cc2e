"""OutboxStore and WebhookStore on the same SQL functions, over a direct Postgres connection pool.

The REST adapter (outbox_store.py) needs only the service-role key; this one needs the database
URL (hosted Supabase: the pooler's connection string) and saves the HTTP hops, which is what a
worker sending hundreds of messages a second spends most of its time on. Same functions, same
rules: only the transport differs."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from psycopg.errors import RaiseException
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from workers.ports import (
    TOKEN_REFUSALS,
    AutomationRun,
    InvalidUnsubscribeToken,
    OutboundMessage,
    SentResult,
    UnresolvedSend,
)


def _text_values(row: dict[str, Any]) -> dict[str, Any]:
    """uuids as text, like the JSON the REST adapter receives."""
    return {
        key: (str(value) if type(value).__name__ == "UUID" else value) for key, value in row.items()
    }


class PostgresOutboxStore:
    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool

    @classmethod
    def open_pool(cls, url: str, size: int) -> AsyncConnectionPool:
        # prepare_threshold=None: safe behind a transaction-mode pooler (Supavisor, pgbouncer).
        return AsyncConnectionPool(
            url,
            min_size=1,
            max_size=size,
            open=False,
            kwargs={"autocommit": True, "prepare_threshold": None, "row_factory": dict_row},
        )

    async def _rows(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        async with self.pool.connection() as conn:
            cursor = await conn.execute(sql, params)
            rows: list[dict[str, Any]] = await cursor.fetchall()  # type: ignore[assignment]
            return [_text_values(row) for row in rows]

    async def _value(self, sql: str, params: tuple[Any, ...]) -> Any:
        rows = await self._rows(sql, params)
        return next(iter(rows[0].values())) if rows else None

    async def claim(
        self,
        worker_id: str,
        channel: str,
        limit: int,
        lease_seconds: int,
        now: datetime | None = None,
    ) -> list[OutboundMessage]:
        rows = await self._rows(
            "select * from public.claim_outbound_messages_v3(%s, %s, %s, %s, coalesce(%s, now()))",
            (worker_id, channel, limit, lease_seconds, now),
        )
        return [OutboundMessage.from_row(row) for row in rows]

    async def mark_sending(self, message_ids: list[str], worker_id: str) -> set[str]:
        rows = await self._rows(
            "select id from public.mark_messages_sending(%s::uuid[], %s) as id",
            (message_ids, worker_id),
        )
        return {str(row["id"]) for row in rows}

    async def record_sent(self, results: list[SentResult]) -> None:
        busy = await self._rows(
            "select id from public.record_messages_sent(%s) as id",
            (Jsonb([dataclasses.asdict(result) for result in results]),),
        )
        # Left out because a status callback held their provider id: one by one, which waits.
        by_id = {result.message_id: result for result in results}
        for row in busy:
            result = by_id[str(row["id"])]
            await self._rows(
                "select public.record_message_sent(%s, %s, %s)",
                (result.message_id, result.provider_id, result.provider_status),
            )

    async def record_failed(
        self, message_id: str, code: str, detail: str, retry_after_seconds: int | None = None
    ) -> None:
        await self._rows(
            "select public.record_message_failed(%s, %s, %s, %s)",
            (message_id, code, detail[:500], retry_after_seconds),
        )

    async def list_unresolved(self, older_than_seconds: int) -> list[UnresolvedSend]:
        rows = await self._rows(
            "select * from public.list_unresolved_sends_v2(%s)", (older_than_seconds,)
        )
        return [
            UnresolvedSend(
                id=str(row["id"]),
                channel=str(row["channel"]),
                to_address=str(row["to_address"]),
                body=str(row.get("body") or ""),
                attempt=int(row["attempts"]),
                send_started_at=row.get("send_started_at"),
                from_number=row.get("from_number"),
                messaging_service_sid=row.get("messaging_service_sid"),
            )
            for row in rows
        ]

    async def resolve_unresolved(
        self, message_id: str, attempt: int, provider_ids: list[str]
    ) -> str:
        outcome = await self._value(
            "select public.resolve_unresolved_send_v2(%s, %s, %s::text[])",
            (message_id, attempt, provider_ids),
        )
        return str(outcome)

    async def run_due_automations(self) -> list[AutomationRun]:
        rows = await self._rows("select * from public.run_due_automations()", ())
        return [AutomationRun.from_row(row) for row in rows]

    async def unsubscribe_tokens(self, message_ids: list[str]) -> dict[str, str]:
        rows = await self._rows(
            "select * from public.unsubscribe_tokens(%s::uuid[])", (message_ids,)
        )
        return {str(row["message_id"]): str(row["token"]) for row in rows}

    async def one_click_unsubscribe(self, token: str) -> bool:
        try:
            return bool(await self._value("select public.one_click_unsubscribe(%s)", (token,)))
        except RaiseException as error:
            code = error.diag.message_primary or ""
            if code in TOKEN_REFUSALS:
                raise InvalidUnsubscribeToken(code) from error
            raise

    async def queue_depth(self, channel: str) -> int:
        value = await self._value(
            "select count(*) from public.messages where status = 'queued' and channel = %s",
            (channel,),
        )
        return int(value or 0)

    async def store_event(
        self, provider: str, event_id: str, event_type: str, payload: dict[str, Any]
    ) -> tuple[str, bool]:
        rows = await self._rows(
            "select * from public.store_webhook_event(%s, %s, %s, %s)",
            (provider, event_id, event_type, Jsonb(payload)),
        )
        return str(rows[0]["event_id"]), bool(rows[0]["duplicate"])

    async def process_event(self, event_id: str) -> dict[str, Any]:
        result = await self._value("select public.process_webhook_event(%s)", (event_id,))
        return dict(result or {})

    async def store_events(
        self, events: list[tuple[str, str, str, dict[str, Any]]]
    ) -> list[tuple[str, bool]]:
        """store_event for many events in one statement (one round trip, one transaction);
        results in the same order. A repeated id within the batch is a duplicate, as apart."""
        rows = await self._rows(
            """select s.event_id, s.duplicate
               from unnest(%s::text[], %s::text[], %s::text[], %s::jsonb[])
                    with ordinality as e(provider, event_id, event_type, payload, n)
               cross join lateral public.store_webhook_event(
                    e.provider, e.event_id, e.event_type, e.payload) as s
               order by e.n""",
            (
                [provider for provider, _, _, _ in events],
                [event_id for _, event_id, _, _ in events],
                [event_type for _, _, event_type, _ in events],
                [Jsonb(payload) for _, _, _, payload in events],
            ),
        )
        return [(str(row["event_id"]), bool(row["duplicate"])) for row in rows]

    async def process_events(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """process_event for many events in one statement; results in the same order."""
        rows = await self._rows(
            """select public.process_webhook_event(e.id) as result
               from unnest(%s::uuid[]) with ordinality as e(id, n) order by e.n""",
            (event_ids,),
        )
        return [dict(row["result"] or {}) for row in rows]

    async def list_deferred(self, older_than_seconds: int, limit: int) -> list[str]:
        rows = await self._rows(
            "select id from public.list_replayable_webhook_events(%s, %s) as e(id)",
            (older_than_seconds, limit),
        )
        return [str(row["id"]) for row in rows]

    async def replay_event(self, event_id: str) -> dict[str, Any]:
        result = await self._value("select public.replay_webhook_event(%s)", (event_id,))
        return dict(result or {})
