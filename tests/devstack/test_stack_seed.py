"""`hm stack up` seeds a database whose migrations it applies from the first, whatever made the
cluster: an earlier `up` can stop after initdb (its port was taken) and leave it empty."""

from __future__ import annotations

import psycopg

from devstack.testing import destroy_private_stack, new_private_stack


def test_an_empty_cluster_left_by_a_failed_up_is_seeded_by_the_next() -> None:
    stack = new_private_stack()
    try:
        stack.postgres.init()
        stack.up()
        with psycopg.connect(stack.config.db_url()) as conn:
            row = conn.execute(
                "select count(*) from public.events where slug = 'tonight-hello-miami'"
            ).fetchone()
        assert row == (1,)
        stack.up()
        with psycopg.connect(stack.config.db_url()) as conn:
            row = conn.execute("select count(*) from public.events").fetchone()
        assert row is not None
        assert row[0] == 3, "a second up seeds nothing again"
    finally:
        destroy_private_stack(stack)
