"""Whatever value a messaging-activity rule (or a count rule) carries, the one segment compiler
either counts or refuses it with invalid_segment — never another error (1.0 days used to pass
the validator and fail the compiled SQL's ::integer). The blast lists become a uuid[] literal
inside the compiled SQL (20261129010000_segment_messaging_rules), so the validator must let
through only what that literal can hold (property test over any JSON)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from devstack.stack.manager import LocalStack

MESSAGING_KEYS = ("replied_within_days", "received_blasts", "opened_blasts", "clicked_blasts")
COUNT_KEYS = ("min_checkins", "max_checkins", "no_checkin_days", "attended_last_events")

# JSON a client can send (text without NUL: PostgreSQL's jsonb cannot hold it).
text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
uuid_like = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda value: str(value).upper()),
    st.uuids().map(lambda value: "{" + str(value) + "}"),
    st.uuids().map(lambda value: value.hex),
    st.uuids().map(lambda value: str(value) + "]"),
    st.uuids().map(lambda value: '"' + str(value)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
    uuid_like,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(text, children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def db(stack: LocalStack) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        yield conn


def count_or_refusal(db: psycopg.Connection[tuple[Any, ...]], definition: dict[str, Any]) -> Any:
    """How many contacts match, or the refusal code the compiler raised."""
    try:
        row = db.execute(
            "select count(*) from private.segment_contact_ids(%s)", (Jsonb(definition),)
        ).fetchone()
    except psycopg.errors.RaiseException as refused:
        return refused.diag.message_primary
    assert row is not None
    return row[0]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.sampled_from(MESSAGING_KEYS + COUNT_KEYS), value=json_values)
def test_a_rule_counts_or_is_refused_as_invalid_segment(
    key: str, value: Any, db: psycopg.Connection[tuple[Any, ...]]
) -> None:
    outcome = count_or_refusal(db, {key: value})
    assert outcome == "invalid_segment" or (isinstance(outcome, int) and outcome >= 0)


def test_canonical_blast_ids_are_counted(db: psycopg.Connection[tuple[Any, ...]]) -> None:
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for key in MESSAGING_KEYS[1:]:
        assert count_or_refusal(db, {key: ids}) == 0
