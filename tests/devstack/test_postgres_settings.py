"""Which settings the private cluster starts with, on a server that knows the plugin allow-list
(PostgreSQL 15.20 and later) and on one that does not (15.18, the base image's)."""

from __future__ import annotations

from typing import Any

import psycopg

from devstack.stack.postgres import (
    PLUGIN_ALLOWLIST,
    PLUGIN_ALLOWLIST_SETTING,
    known_setting_names,
    server_settings,
)

SETTINGS_OF_15_18 = frozenset({"wal_level", "max_replication_slots", "max_wal_senders"})
SETTINGS_OF_15_20 = SETTINGS_OF_15_18 | {PLUGIN_ALLOWLIST_SETTING}


def test_a_server_that_knows_the_allow_list_is_told_to_load_wal2json() -> None:
    settings = server_settings(SETTINGS_OF_15_20)
    assert settings[PLUGIN_ALLOWLIST_SETTING] == "pgoutput,test_decoding,wal2json"
    assert settings["wal_level"] == "logical"


def test_a_server_that_does_not_know_it_is_not_passed_it() -> None:
    settings = server_settings(SETTINGS_OF_15_18)
    assert PLUGIN_ALLOWLIST_SETTING not in settings
    assert settings["wal_level"] == "logical"


def test_the_installed_server_reports_its_settings() -> None:
    names = known_setting_names()
    assert {"wal_level", "max_replication_slots", "shared_buffers"} <= names


def test_the_running_server_decodes_with_wal2json(
    db: psycopg.Connection[tuple[Any, ...]],
) -> None:
    """Whatever the installed minor release, the session's server started and loads wal2json."""
    if PLUGIN_ALLOWLIST_SETTING in known_setting_names():
        row = db.execute(f"show {PLUGIN_ALLOWLIST_SETTING}").fetchone()
        assert row is not None
        assert row[0].replace(" ", "") == PLUGIN_ALLOWLIST
    slot = "settings_probe"
    db.execute("select pg_create_logical_replication_slot(%s, 'wal2json', true)", (slot,))
    try:
        row = db.execute(
            "select plugin from pg_replication_slots where slot_name = %s", (slot,)
        ).fetchone()
        assert row == ("wal2json",)
    finally:
        db.execute("select pg_drop_replication_slot(%s)", (slot,))
