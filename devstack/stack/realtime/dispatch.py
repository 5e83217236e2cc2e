"""From WAL changes to postgres_changes pushes: bindings, filters, RLS, one push per channel.

A change is filtered once per binding, checked against RLS once per distinct identity, rendered
once per role, and encoded once per (topic, serialisation, binding ids): with a hundred
subscribers of one table as one user, that is one check, one rendering and one JSON encoding.
"""

from __future__ import annotations

import logging
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from devstack.stack.realtime.authorization import Identity, visible_to
from devstack.stack.realtime.filters import matches
from devstack.stack.realtime.hub import Channel, Hub
from devstack.stack.realtime.records import TableView, change_data, filter_columns, load_table_view
from devstack.stack.realtime.serializer import Message, encode_text
from devstack.stack.realtime.wal import Change

log = logging.getLogger("hm.realtime.dispatch")

ViewCache = dict[tuple[str, str, str], TableView | None]
Selection = tuple[str, ...] | None


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
        subscribers = [(c, b) for c, b in self.hub.postgres_subscribers() if b.covers(change)]
        if not subscribers:
            return
        # Column types do not depend on the role: any role's view types the filter values.
        reference = await _view(conn, views, change, subscribers[0][0].identity.role)
        if reference is None:
            return
        column_sets = filter_columns(change, reference)
        # One push per channel and column selection, listing the ids of its matching bindings.
        matched: dict[tuple[Channel, Selection], list[int]] = {}
        for channel, binding in subscribers:
            if any(matches(binding.filters, columns) for columns in column_sets):
                matched.setdefault((channel, binding.select), []).append(binding.id)
        groups: dict[Identity, list[tuple[Channel, Selection]]] = {}
        for channel, selection in matched:
            groups.setdefault(channel.identity, []).append((channel, selection))
        for identity in await visible_to(conn, change, reference, groups):
            view = await _view(conn, views, change, identity.role)
            if view is None or not view.key_readable:
                log.info(
                    "%s change on %s.%s withheld from role %s: no readable primary key",
                    change.type,
                    change.schema,
                    change.table,
                    identity.role,
                )
                continue
            rendered: dict[Selection, dict[str, Any]] = {}
            frames: dict[tuple[str, str, tuple[int, ...], Selection], str] = {}
            for channel, selection in groups[identity]:
                ids = matched[(channel, selection)]
                vsn = channel.connection.vsn
                key = (channel.topic, vsn, tuple(ids), selection)
                if key not in frames:
                    if selection not in rendered:
                        rendered[selection] = change_data(change, view, selection)
                    payload = {"ids": ids, "data": rendered[selection]}
                    frames[key] = encode_text(
                        Message(channel.topic, "postgres_changes", payload), vsn
                    )
                channel.connection.send_frame(frames[key])


async def _view(
    conn: AsyncConnection[Any], views: ViewCache, change: Change, role: str
) -> TableView | None:
    key = (change.schema, change.table, role)
    if key not in views:
        views[key] = await load_table_view(conn, change.schema, change.table, role)
    return views[key]
