"""Storage's database side: `storage.buckets` and `storage.objects`, read and written as the caller.

Each request runs in one transaction on a pooled superuser connection. Lookups Supabase Storage
makes as its own superuser (a bucket's limits, a public or signed object) happen before
`become_caller()`; everything a client asks for happens after it, under the caller's role and JWT
claims (`set_config('role', …, true)`, `set_config('request.jwt.claims', …, true)`), so the
project's RLS policies decide, exactly as PostgREST and hosted Storage apply them.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from devstack.stack.storage.caller import Caller
from devstack.stack.storage.errors import access_denied, no_such_bucket, no_such_key

Row = dict[str, Any]

# The identity of lookups Storage makes as itself (public buckets, signed URLs): they never
# switch to a caller's role, so RLS does not apply, exactly as on Supabase.
STORAGE_ITSELF = Caller(role="service_role", claims={"role": "service_role"})

OBJECT_COLUMNS = (
    "id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, "
    "created_at, updated_at, last_accessed_at"
)
BUCKET_SORT_COLUMNS = ("id", "name", "created_at", "updated_at")
BUCKET_COLUMNS = (
    "id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at"
)


@dataclass(frozen=True)
class Bucket:
    id: str
    public: bool
    file_size_limit: int | None
    allowed_mime_types: list[str] | None


@dataclass(frozen=True)
class BucketQuery:
    """`GET /bucket?limit=&offset=&sortColumn=&sortOrder=&search=` (supabase-js `listBuckets`)."""

    limit: int | None = None
    offset: int = 0
    sort_column: str = "name"
    sort_order: str = "asc"
    search: str = ""

    def __post_init__(self) -> None:
        # Both are spliced into SQL, so only these closed sets are ever accepted.
        if self.sort_column not in BUCKET_SORT_COLUMNS or self.sort_order not in ("asc", "desc"):
            raise ValueError(f"unsupported bucket sort {self.sort_column} {self.sort_order}")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def to_json(row: Row) -> Row:
    """A row as Storage serialises it: uuids as strings, timestamps in ISO 8601."""
    converted: Row = {}
    for key, value in row.items():
        if isinstance(value, uuid.UUID):
            converted[key] = str(value)
        elif isinstance(value, datetime):
            converted[key] = value.isoformat()
        else:
            converted[key] = value
    return converted


class StorageDb:
    def __init__(self, conn: AsyncConnection[Any], caller: Caller) -> None:
        self.conn = conn
        self.caller = caller

    async def _rows(self, query: str, params: tuple[Any, ...] = ()) -> list[Row]:
        async with self.conn.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(query, params)
            return await cursor.fetchall() if cursor.description else []

    async def _row(self, query: str, params: tuple[Any, ...] = ()) -> Row | None:
        rows = await self._rows(query, params)
        return rows[0] if rows else None

    # --- identity -------------------------------------------------------------------------------

    async def become_caller(self) -> None:
        """Switch to the caller's role and claims for the rest of the transaction.

        The role must be one PostgREST's `authenticator` may become, so a token can never make
        Storage act as a role the REST API would refuse (the pool itself is a superuser)."""
        allowed = await self._row(
            "select exists (select 1 from pg_catalog.pg_roles r where r.rolname = %s"
            " and pg_catalog.pg_has_role('authenticator', r.oid, 'MEMBER')) as allowed",
            (self.caller.role,),
        )
        if not allowed or not allowed["allowed"]:
            raise access_denied(f'role "{self.caller.role}" does not exist')
        await self.conn.execute(
            "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
            (self.caller.role, json.dumps(self.caller.claims)),
        )

    async def become_storage(self) -> None:
        """Back to Storage's own (superuser) identity, as Storage completes an upload."""
        await self.conn.execute("reset role")

    # --- buckets --------------------------------------------------------------------------------

    async def bucket(self, bucket_id: str) -> Bucket | None:
        row = await self._row(
            "select id, public, file_size_limit, allowed_mime_types"
            " from storage.buckets where id = %s",
            (bucket_id,),
        )
        if row is None:
            return None
        return Bucket(
            id=row["id"],
            public=bool(row["public"]),
            file_size_limit=row["file_size_limit"],
            allowed_mime_types=row["allowed_mime_types"],
        )

    async def bucket_rows(self, bucket_id: str) -> list[Row]:
        return await self._rows(
            f"select {BUCKET_COLUMNS} from storage.buckets where id = %s", (bucket_id,)
        )

    async def list_buckets(self, query: BucketQuery) -> list[Row]:
        return await self._rows(
            f"select {BUCKET_COLUMNS} from storage.buckets where name ilike %s"
            f" order by {query.sort_column} {query.sort_order}, id limit %s offset %s",
            (f"%{_escape_like(query.search)}%", query.limit, query.offset),
        )

    async def create_bucket(
        self,
        bucket_id: str,
        name: str,
        public: bool,
        file_size_limit: int | None,
        allowed_mime_types: list[str] | None,
    ) -> None:
        await self.conn.execute(
            "insert into storage.buckets"
            " (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)"
            " values (%s, %s, %s, %s, %s, %s, %s)",
            (
                bucket_id,
                name,
                self.caller.owner,
                self.caller.owner_id,
                public,
                file_size_limit,
                allowed_mime_types,
            ),
        )

    async def update_bucket(self, bucket_id: str, changes: dict[str, Any]) -> bool:
        assignments = "".join(f", {column} = %s" for column in changes)
        row = await self._row(
            f"update storage.buckets set updated_at = now(){assignments}"
            " where id = %s returning id",
            (*changes.values(), bucket_id),
        )
        return row is not None

    async def delete_bucket(self, bucket_id: str) -> bool:
        row = await self._row(
            "delete from storage.buckets where id = %s returning id", (bucket_id,)
        )
        return row is not None

    async def count_objects(self, bucket_id: str) -> int:
        row = await self._row(
            "select count(*) as n from storage.objects where bucket_id = %s", (bucket_id,)
        )
        return int(row["n"]) if row else 0

    # --- objects --------------------------------------------------------------------------------

    async def find_object(self, bucket_id: str, name: str, *, lock: bool = False) -> Row | None:
        """One object; `lock` holds its row until the transaction ends, so a concurrent
        replacement waits and this request learns exactly which version it replaces."""
        suffix = " for update" if lock else ""
        return await self._row(
            f"select {OBJECT_COLUMNS} from storage.objects"
            f" where bucket_id = %s and name = %s{suffix}",
            (bucket_id, name),
        )

    async def visible_names(self, bucket_id: str, names: list[str]) -> set[str]:
        rows = await self._rows(
            "select name from storage.objects where bucket_id = %s and name = any(%s)",
            (bucket_id, names),
        )
        return {row["name"] for row in rows}

    async def insert_object(self, bucket_id: str, name: str, version: str) -> uuid.UUID:
        """A new row owned by the caller; a name already taken is a unique violation (409)."""
        row = await self._row(
            "insert into storage.objects (bucket_id, name, owner, owner_id, version)"
            " values (%s, %s, %s, %s, %s) returning id",
            (bucket_id, name, self.caller.owner, self.caller.owner_id, version),
        )
        assert row is not None
        return uuid.UUID(str(row["id"]))

    async def upsert_object(self, bucket_id: str, name: str, version: str) -> uuid.UUID:
        """Insert or replace; under RLS a replacement also needs the UPDATE policies to pass."""
        row = await self._row(
            "insert into storage.objects (bucket_id, name, owner, owner_id, version)"
            " values (%s, %s, %s, %s, %s)"
            " on conflict (bucket_id, name) do update set owner = excluded.owner,"
            " owner_id = excluded.owner_id, version = excluded.version, updated_at = now()"
            " returning id",
            (bucket_id, name, self.caller.owner, self.caller.owner_id, version),
        )
        assert row is not None
        return uuid.UUID(str(row["id"]))

    async def can_write(self, bucket_id: str, name: str, *, upsert: bool) -> None:
        """Storage's permission test: the write the caller would make, then rolled back."""
        async with self.conn.transaction(force_rollback=True):
            write = self.upsert_object if upsert else self.insert_object
            await write(bucket_id, name, "permission-test")

    async def set_content(
        self, object_id: uuid.UUID, metadata: dict[str, Any], user_metadata: Any
    ) -> None:
        await self.conn.execute(
            "update storage.objects set metadata = %s, user_metadata = %s, updated_at = now()"
            " where id = %s",
            (Jsonb(metadata), None if user_metadata is None else Jsonb(user_metadata), object_id),
        )

    async def rename_object(
        self, bucket_id: str, name: str, destination_bucket: str, destination: str, version: str
    ) -> Row | None:
        """Move a row (keeping its id) to a new bucket/name and version, owned by the mover."""
        return await self._row(
            "update storage.objects set bucket_id = %s, name = %s, version = %s, owner = %s,"
            " owner_id = %s, updated_at = now() where bucket_id = %s and name = %s"
            f" returning {OBJECT_COLUMNS}",
            (
                destination_bucket,
                destination,
                version,
                self.caller.owner,
                self.caller.owner_id,
                bucket_id,
                name,
            ),
        )

    async def delete_objects(self, bucket_id: str, names: list[str]) -> list[Row]:
        return await self._rows(
            "delete from storage.objects where bucket_id = %s and name = any(%s)"
            f" returning {OBJECT_COLUMNS}",
            (bucket_id, names),
        )

    async def visible_objects(self, bucket_id: str) -> list[Row]:
        return await self._rows(
            "select id, name from storage.objects where bucket_id = %s", (bucket_id,)
        )

    async def delete_by_ids(self, ids: list[uuid.UUID]) -> list[Row]:
        return await self._rows(
            "delete from storage.objects where id = any(%s) returning id, bucket_id, version",
            (ids,),
        )

    async def stored_versions(self) -> set[tuple[str, str]]:
        rows = await self._rows(
            "select bucket_id, version from storage.objects where version is not null"
        )
        return {(row["bucket_id"], row["version"]) for row in rows}

    async def objects_under(self, bucket_id: str, prefix: str) -> list[Row]:
        """Objects whose name starts with `prefix`, ignoring case, as Storage's search matches."""
        return await self._rows(
            "select name, id, updated_at, created_at, last_accessed_at, metadata"
            " from storage.objects where bucket_id = %s"
            " and starts_with(lower(name), lower(%s))",
            (bucket_id, prefix),
        )


@contextlib.asynccontextmanager
async def storage_transaction(
    pool: AsyncConnectionPool, caller: Caller
) -> AsyncIterator[StorageDb]:
    """One transaction for one request; any error rolls back everything it wrote."""
    async with pool.connection() as conn, conn.transaction():
        yield StorageDb(conn, caller)


async def visible_object(
    pool: AsyncConnectionPool, caller: Caller, bucket_id: str, name: str
) -> Row:
    """The object as the caller may see it; "Object not found" when RLS hides it or it is absent."""
    async with storage_transaction(pool, caller) as db:
        await db.become_caller()
        row = await db.find_object(bucket_id, name)
    if row is None:
        raise no_such_key()
    return row


async def public_object(pool: AsyncConnectionPool, bucket_id: str, name: str) -> Row:
    """An object of a public bucket, read as Storage itself: no token and no policy needed."""
    async with storage_transaction(pool, STORAGE_ITSELF) as db:
        bucket = await db.bucket(bucket_id)
        if bucket is None or not bucket.public:
            raise no_such_bucket()
        row = await db.find_object(bucket_id, name)
    if row is None:
        raise no_such_key()
    return row
