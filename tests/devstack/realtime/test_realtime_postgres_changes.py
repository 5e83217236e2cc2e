"""postgres_changes through supabase-py's async client (vsn 1.0.0), against the stack's service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from realtime import RealtimeSubscribeStates

from devstack.stack.manager import LocalStack
from tests.devstack.realtime.helpers import Inbox, PublishedTable

ALICE = str(uuid.uuid4())
BOB = str(uuid.uuid4())


async def subscribe(
    client: Any,
    table: PublishedTable,
    event: str = "*",
    filter_: str | None = None,
    inbox: Inbox | None = None,
) -> Inbox:
    inbox = inbox or Inbox()
    channel = client.channel(f"changes-{uuid.uuid4().hex[:8]}")
    channel.on_postgres_changes(event, inbox.add, table=table.name, schema="public", filter=filter_)
    states: list[Any] = []
    await channel.subscribe(lambda state, error: states.append((state, error)))
    assert states == [(RealtimeSubscribeStates.SUBSCRIBED, None)]
    return inbox


def data(item: Any) -> dict[str, Any]:
    result: dict[str, Any] = item["data"]
    return result


async def subscription_error(channel: Any) -> str:
    """Subscribe to a channel the service is expected to refuse; its CHANNEL_ERROR's text."""
    errors: list[str] = []
    failed = asyncio.Event()

    def on_state(state: Any, error: Exception | None) -> None:
        if state == RealtimeSubscribeStates.CHANNEL_ERROR:
            errors.append(str(error))
            failed.set()

    await channel.subscribe(on_state)
    await asyncio.wait_for(failed.wait(), 5)
    return errors[0]


@pytest.fixture
async def alice_client(
    make_async_client: Callable[..., Any], user_token: Callable[..., str]
) -> Any:
    """A client signed in as ALICE, the owner the tables' RLS policies let see her own rows."""
    return await make_async_client(user_token(ALICE))


async def test_insert_update_delete_reach_the_owner_with_supabase_shapes(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    table = make_table()
    inbox = await subscribe(alice_client, table)

    row = table.insert(ALICE, n=1, label="first")
    insert = data(await inbox.wait_for(lambda i: data(i)["type"] == "INSERT"))
    table.execute("update {table} set n = 2 where id = %s", (row,))
    update = data(await inbox.wait_for(lambda i: data(i)["type"] == "UPDATE"))
    table.execute("delete from {table} where id = %s", (row,))
    delete = data(await inbox.wait_for(lambda i: data(i)["type"] == "DELETE"))

    assert insert["schema"] == "public"
    assert insert["table"] == table.name
    assert insert["errors"] is None
    assert [c["name"] for c in insert["columns"]] == [
        "id",
        "owner",
        "device_id",
        "n",
        "label",
        "at",
    ]
    assert {c["name"]: c["type"] for c in insert["columns"]}["at"] == "timestamptz"
    assert insert["record"]["n"] == 1
    assert insert["record"]["owner"] == ALICE
    assert "T" in insert["record"]["at"]  # rendered as to_jsonb(timestamptz) does
    assert insert["commit_timestamp"].endswith("Z")
    assert len(insert["commit_timestamp"]) == len("2026-01-01T00:00:00.000Z")
    assert "old_record" not in insert
    assert update["record"]["n"] == 2
    # Replica identity default: the old row is only its primary key.
    assert update["old_record"] == {"id": row}
    assert "record" not in delete
    assert delete["old_record"] == {"id": row}


async def test_event_and_table_bindings_select_what_arrives(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    watched, other = make_table(), make_table()
    inserts = await subscribe(alice_client, watched, event="INSERT")
    deletes = await subscribe(alice_client, watched, event="DELETE")
    everything = await subscribe(alice_client, watched)

    other.insert(ALICE, label="elsewhere")
    row = watched.insert(ALICE, label="here")
    # Each change is checked against RLS when it is dispatched, so the row must still exist
    # then (as on Supabase): wait for each event before the next change.
    await everything.wait_count(1)
    watched.execute("update {table} set label = 'changed' where id = %s", (row,))
    await everything.wait_count(2)
    watched.execute("delete from {table} where id = %s", (row,))
    await everything.wait_count(3)
    await deletes.wait_count(1)
    assert [data(i)["type"] for i in everything.items] == ["INSERT", "UPDATE", "DELETE"]
    assert {data(i)["table"] for i in everything.items} == {watched.name}
    assert [data(i)["type"] for i in inserts.items] == ["INSERT"]
    assert [data(i)["type"] for i in deletes.items] == ["DELETE"]


@pytest.mark.parametrize(
    ("filter_", "passing", "failing"),
    [
        ("n=eq.5", {"n": 5}, {"n": 6}),
        ("n=neq.5", {"n": 6}, {"n": 5}),
        ("n=lt.10", {"n": 9}, {"n": 10}),
        ("n=lte.10", {"n": 10}, {"n": 11}),
        ("n=gt.10", {"n": 11}, {"n": 10}),
        ("n=gte.10", {"n": 10}, {"n": 9}),
        ("n=gt.9", {"n": 10}, {"n": 2}),  # typed: text comparison would put "10" before "9"
        ("label=in.(red,green)", {"label": "green"}, {"label": "blue"}),
        ("n=in.(1,2,3)", {"n": 3}, {"n": 4}),
        (f"device_id=eq.{ALICE}", {"device_id": ALICE}, {"device_id": BOB}),
        ("label=ilike.GR%", {"label": "green"}, {"label": "blue"}),
        ("label=not.in.(red,blue)", {"label": "green"}, {"label": "red"}),
        ("label=is.null", {"n": 1}, {"label": "set"}),
        ("n=gt.0,label=eq.both", {"n": 1, "label": "both"}, {"n": 0, "label": "both"}),
    ],
)
async def test_each_filter_delivers_only_matching_rows(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
    filter_: str,
    passing: dict[str, Any],
    failing: dict[str, Any],
) -> None:
    table = make_table()
    inbox = await subscribe(alice_client, table, event="INSERT", filter_=filter_)

    rejected = table.insert(ALICE, **failing)
    accepted = table.insert(ALICE, **passing)

    item = await inbox.wait_for(lambda i: data(i)["record"]["id"] == accepted)
    assert data(item)["record"]["id"] == accepted
    assert rejected not in [data(i)["record"]["id"] for i in inbox.items]


async def test_a_row_rls_hides_never_reaches_the_subscriber(
    make_async_client: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    user_token: Callable[..., str],
) -> None:
    table = make_table()
    alice = await subscribe(await make_async_client(user_token(ALICE)), table)
    bob = await subscribe(await make_async_client(user_token(BOB)), table)
    anon = await subscribe(await make_async_client(), table)

    bobs_row = table.insert(BOB, label="bob's")
    table.execute("update {table} set label = 'still bob''s' where id = %s", (bobs_row,))
    alices_row = table.insert(ALICE, label="alice's")  # the positive control, committed last

    await alice.wait_for(lambda i: data(i).get("record", {}).get("id") == alices_row)
    await bob.wait_for(lambda i: data(i).get("record", {}).get("id") == bobs_row)
    assert [data(i)["record"]["id"] for i in alice.items] == [alices_row]
    assert [data(i)["type"] for i in bob.items] == ["INSERT", "UPDATE"]
    # anon has no policy at all: it sees nothing, and the dispatcher has processed every
    # change above by the time Alice's (last) arrived.
    assert anon.items == []


async def test_identical_identities_share_one_check_and_all_receive(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    table = make_table()
    inboxes = [await subscribe(alice_client, table) for _ in range(5)]
    row = table.insert(ALICE)
    for inbox in inboxes:
        await inbox.wait_for(lambda i: data(i)["record"]["id"] == row)


async def test_old_record_follows_replica_identity_and_rls(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    table = make_table()
    table.execute("alter table {table} replica identity full")
    inbox = await subscribe(alice_client, table)

    row = table.insert(ALICE, n=1, label="before")
    table.execute("update {table} set n = 2, label = 'after' where id = %s", (row,))
    update = data(await inbox.wait_for(lambda i: data(i)["type"] == "UPDATE"))
    assert update["old_record"]["n"] == 1
    assert update["old_record"]["label"] == "before"
    assert update["record"]["label"] == "after"

    table.execute("delete from {table} where id = %s", (row,))
    delete = data(await inbox.wait_for(lambda i: data(i)["type"] == "DELETE"))
    # RLS is on, so a DELETE (which cannot be checked) carries only the primary key.
    assert delete["old_record"] == {"id": row}

    table.execute("alter table {table} disable row level security")
    second = table.insert(ALICE, n=7, label="open")
    table.execute("delete from {table} where id = %s", (second,))
    open_delete = data(
        await inbox.wait_for(
            lambda i: data(i)["type"] == "DELETE" and data(i)["old_record"]["id"] == second
        )
    )
    assert open_delete["old_record"]["label"] == "open"
    assert open_delete["old_record"]["n"] == 7


async def test_delete_filters_see_the_old_row_under_replica_identity_full(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    table = make_table()
    table.execute("alter table {table} replica identity full")
    inbox = await subscribe(alice_client, table, event="DELETE", filter_="n=eq.1")
    skipped = table.insert(ALICE, n=2)
    kept = table.insert(ALICE, n=1)
    table.execute("delete from {table} where id = %s", (skipped,))
    table.execute("delete from {table} where id = %s", (kept,))
    await inbox.wait_for(lambda i: data(i)["old_record"]["id"] == kept)
    assert [data(i)["old_record"]["id"] for i in inbox.items] == [kept]


async def test_an_unpublished_table_or_bad_filter_is_reported_by_a_system_message(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    channel = alice_client.channel("bad-binding")
    channel.on_postgres_changes("*", lambda p: None, table="no_such_table", schema="public")
    unpublished_error = await subscription_error(channel)
    assert "Unable to subscribe to changes with given parameters" in unpublished_error
    await channel.unsubscribe()

    table = make_table()
    bad = alice_client.channel("bad-filter")
    bad.on_postgres_changes("*", lambda p: None, table=table.name, filter="n=foo.5")
    bad_filter_error = await subscription_error(bad)
    assert 'Error parsing `filter` params: [\\"foo\\", \\"5\\"]' in bad_filter_error
    await bad.unsubscribe()


async def test_schema_wide_binding_and_column_privileges(
    alice_client: Any,
    make_async_client: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    stack: LocalStack,
) -> None:
    table = make_table()
    table.execute("alter table {table} disable row level security")
    table.execute("revoke select on {table} from authenticated")
    table.execute("grant select (id, owner) on {table} to authenticated")
    table.execute("revoke select on {table} from anon")
    schema_wide = Inbox()
    channel = alice_client.channel(f"schema-{uuid.uuid4().hex[:8]}")
    channel.on_postgres_changes("INSERT", schema_wide.add, schema="public")
    await channel.subscribe()
    anon = await subscribe(await make_async_client(), table)
    service = await make_async_client()
    await service.realtime.set_auth(stack.config.service_role_key)
    service_inbox = await subscribe(service, table)

    row = table.insert(BOB, label="secret label")
    item = await schema_wide.wait_for(lambda i: data(i)["table"] == table.name)
    # Only the columns the role may SELECT are described and sent.
    assert [c["name"] for c in data(item)["columns"]] == ["id", "owner"]
    assert data(item)["record"] == {"id": row, "owner": BOB}
    full = await service_inbox.wait_for(lambda i: data(i)["record"]["id"] == row)
    assert data(full)["record"]["label"] == "secret label"
    # anon may not read the table at all: nothing arrives.
    assert anon.items == []


async def test_one_rls_check_per_identity_however_many_subscribers(
    make_async_client: Callable[..., Any],
    make_table: Callable[[], PublishedTable],
    user_token: Callable[..., str],
) -> None:
    table = make_table()
    log = f"public.{table.name}_checks"
    # The policy records each evaluation, so the test counts the RLS checks the service runs.
    table.execute(f"create table {log} (id bigserial primary key)")
    table.execute(
        f"create function {log}_count() returns boolean language sql volatile security definer"
        f" set search_path = '' as $$ insert into {log} default values returning true $$"
    )
    table.execute(f"grant execute on function {log}_count() to authenticated")
    table.execute(
        'create policy "Checks are counted" on {table} as restrictive for select'
        f" to authenticated using ({log}_count())"
    )
    first_token, second_token = user_token(ALICE), user_token(ALICE, 7200)
    first, second = (
        await make_async_client(first_token),
        await make_async_client(second_token),
    )
    inboxes = [await subscribe(first, table) for _ in range(10)]
    inboxes += [await subscribe(second, table) for _ in range(10)]

    row = table.insert(ALICE)
    for inbox in inboxes:
        await inbox.wait_for(lambda i: data(i)["record"]["id"] == row)
    with psycopg.connect(table.db_url, autocommit=True) as conn:
        (checks,) = conn.execute(f"select count(*) from {log}").fetchone() or (0,)
    # Twenty subscribers, two distinct sets of claims (the tokens' exp differ): two checks.
    assert checks == 2


async def test_select_narrows_the_columns_sent(
    alice_client: Any,
    make_table: Callable[[], PublishedTable],
) -> None:
    table = make_table()
    narrow, full = Inbox(), Inbox()
    channel = alice_client.channel(f"select-{uuid.uuid4().hex[:8]}")
    channel.on_postgres_changes("INSERT", narrow.add, table=table.name, select=["id", "label"])
    channel.on_postgres_changes("INSERT", full.add, table=table.name)
    await channel.subscribe()

    row = table.insert(ALICE, n=3, label="tag")
    item = data(await narrow.wait_for(lambda i: data(i)["record"]["id"] == row))
    assert item["record"] == {"id": row, "label": "tag"}
    assert [c["name"] for c in item["columns"]] == ["id", "label"]
    whole = data(await full.wait_for(lambda i: "n" in data(i)["record"]))
    assert whole["record"]["n"] == 3

    errors = Inbox()
    wildcard = alice_client.channel(f"select-all-{uuid.uuid4().hex[:8]}")
    wildcard.on_postgres_changes("*", lambda p: None, schema="public", select=["id"])
    await wildcard.subscribe(lambda state, error: errors.add(str(error)) if error else None)
    message = await errors.wait_for(lambda e: "Column selection" in e)
    assert "not supported for wildcard subscriptions" in message
