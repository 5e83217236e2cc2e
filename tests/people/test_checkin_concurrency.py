"""Two door scans of the same person at the same moment: one check-in row, one print job."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import psycopg

from devstack.stack.manager import LocalStack


def as_user(conn: psycopg.Connection[Any], user_id: str) -> None:
    """Switch identity exactly as PostgREST does for a request with this user's token."""
    conn.execute("set role authenticated")
    conn.execute(
        "select set_config('request.jwt.claims', %s, false)",
        (json.dumps({"sub": user_id, "role": "authenticated"}),),
    )


def test_simultaneous_scans_create_one_row_and_one_print(
    stack: LocalStack, db: psycopg.Connection[tuple[Any, ...]]
) -> None:
    unique = uuid.uuid4().hex[:8]
    volunteer = db.execute(
        "insert into auth.users (id, aud, role, email) "
        "values (gen_random_uuid(), 'authenticated', 'authenticated', %s) returning id",
        (f"race-{unique}@hellomiami.local",),
    ).fetchone()
    assert volunteer is not None
    volunteer_id = str(volunteer[0])
    db.execute(
        "insert into public.staff (user_id, level) values (%s, 'volunteer')", (volunteer_id,)
    )
    # A print station: a tag for an event without one is refused, not queued.
    station = db.execute(
        "insert into auth.users (id, aud, role, email) "
        "values (gen_random_uuid(), 'authenticated', 'authenticated', %s) returning id",
        (f"race-station-{unique}@hellomiami.local",),
    ).fetchone()
    assert station is not None
    device = db.execute(
        "insert into public.devices (user_id, name) values (%s, %s) returning id",
        (station[0], f"race-{unique}"),
    ).fetchone()
    assert device is not None
    event = db.execute(
        "insert into public.events (slug, name, starts_at, ends_at, published, default_device_id) "
        "values (%s, 'Race', now(), now() + interval '1 hour', true, %s) returning id",
        (f"race-{unique}", device[0]),
    ).fetchone()
    contact = db.execute(
        "insert into public.contacts (email, first_name) values (%s, 'Racer') returning qr_token",
        (f"racer-{unique}@example.com",),
    ).fetchone()
    assert event is not None
    assert contact is not None
    call = "select public.check_in(%s, p_qr_token => %s)"
    params = (event[0], contact[0])

    with (
        psycopg.connect(stack.config.db_url()) as first,
        psycopg.connect(stack.config.db_url()) as second,
    ):
        as_user(first, volunteer_id)
        as_user(second, volunteer_id)
        first_result = first.execute(call, params).fetchone()  # open transaction, not committed
        second_result: list[Any] = []
        racer = threading.Thread(
            target=lambda: second_result.append(second.execute(call, params).fetchone())
        )
        racer.start()
        racer.join(timeout=0.5)
        assert racer.is_alive(), "the second scan waits on the first one's row"
        first.commit()
        racer.join(timeout=10)
        second.commit()

    assert first_result is not None
    assert first_result[0]["code"] == "checked_in"
    assert second_result[0][0]["code"] == "already_checked_in"
    assert second_result[0][0]["checked_in_at"] == first_result[0]["checked_in_at"]
    counts = db.execute(
        "select (select count(*) from public.check_ins where event_id = %s),"
        "       (select count(*) from public.print_jobs where event_id = %s)",
        (event[0], event[0]),
    ).fetchone()
    assert counts == (1, 1)
