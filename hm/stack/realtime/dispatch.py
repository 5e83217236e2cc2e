"""From WAL changes to postgres_changes pushes: bindings, filters, RLS, one push per channel."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from hm.stack.realtime.authorization import Identity, visible_to
from hm.stack.realtime.channels import Channel, Hub
from hm.stack.realtime.filters import matches
from hm.stack.realtime.records import TableView, change_data, filter_columns, load_table_view
from hm.stack.realtime.wal import Change

ViewCache = dict[tuple[str, str, str], TableView | None]


class ChangeDispatcher:
    def __init__(self, pool: AsyncConnectionPool, hub: Hub) -> None:
        self.pool = pool
        self.hub = hub

    async def __call__(self, changes: list[Change]) -> None:
        if not any(True for _ in self.hub.postgres_subscribers()):
            return
        async with self.pool.connection() as conn:
            # Table views are read once per batch: privileges and columns can change between
            # batches, and a batch is a few milliseconds of commits.
            views: ViewCache = {}
            for change in changes:
                await self._dispatch(conn, change, views)

    async def _dispatch(self, conn: AsyncConnection[Any], change: Change, views: ViewCache) -> None:
        matched: dict[Channel, list[int]] = {}
        reference_view: TableView | None = None
        for channel, binding in list(self.hub.postgres_subscribers()):
            if not binding.covers(change):
                continue
            view = await _view(conn, views, change, channel.identity.role)
            if view is None:
                continue
            reference_view = view
            if any(matches(binding.filters, cols) for cols in filter_columns(change, view)):
                matched.setdefault(channel, []).append(binding.id)
        if not matched or reference_view is None:
            return
        groups: dict[Identity, list[Channel]] = {}
        for channel in matched:
            groups.setdefault(channel.identity, []).append(channel)
        for identity in await visible_to(conn, change, reference_view, groups):
            view = await _view(conn, views, change, identity.role)
            if view is None:
                continue
            data = change_data(change, view)
            for channel in groups[identity]:
                channel.push("postgres_changes", {"ids": matched[channel], "data": data})


async def _view(
    conn: AsyncConnection[Any], views: ViewCache, change: Change, role: str
) -> TableView | None:
    key = (change.schema, change.table, role)
    if key not in views:
        views[key] = await load_table_view(conn, change.schema, change.table, role)
    return views[key]
