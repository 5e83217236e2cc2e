"""`hm blasts` against the session stack: the commands call the same SQL functions as the app,
show what the database says (exclusions and why, progress, paused reason), ask before changing
anything, and a refusal leaves the blast as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from devstack.simulators import scenario
from hm.cli import app

from .ready_blast import Connection


@pytest.fixture
def run_hm(supabase_env: dict[str, str]) -> Callable[..., Result]:
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        # Wide enough that rich never wraps the lines the tests look for.
        return runner.invoke(app, list(args), env={**supabase_env, "COLUMNS": "250"}, input=input)

    return run


def draft_blast(db: Connection, opted_in: int, opted_out: int) -> tuple[str, str]:
    sender_id, _ = scenario.create_sms_sender(db)
    contacts = scenario.create_contacts(db, opted_in) + scenario.create_contacts(
        db, opted_out, consent=False
    )
    for contact in contacts[opted_in:]:
        db.execute(
            "insert into public.consent_events (contact_id, channel, status, source)"
            " values (%s, 'sms', 'opted_out', 'staff')",
            (contact.id,),
        )
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    row = db.execute("select name from public.blasts where id = %s", (blast_id,)).fetchone()
    assert row is not None
    return blast_id, str(row[0])


def status(db: Connection, blast_id: str) -> str:
    row = db.execute("select status::text from public.blasts where id = %s", (blast_id,)).fetchone()
    assert row is not None
    return str(row[0])


def test_a_blast_from_preview_to_cancel(run_hm: Callable[..., Result], db: Connection) -> None:
    blast_id, name = draft_blast(db, opted_in=3, opted_out=1)

    preview = run_hm("blasts", "preview", name)
    assert preview.exit_code == 0, preview.output
    assert "audience 4, recipients 3" in preview.output
    assert "excluded from sms: 1 opted_out" in preview.output
    assert "Hi Guest" in preview.output

    started = run_hm("blasts", "start", name, "--yes")
    assert started.exit_code == 0, started.output
    assert "0 of 3 sent, 0 failed, 0 skipped, 3 to send" in started.output
    assert status(db, blast_id) == "sending"
    listed = run_hm("blasts", "list", "--status", "sending")
    assert name in listed.output

    paused = run_hm("blasts", "pause", blast_id, "--reason", "Typo in the text")
    assert "paused: Typo in the text" in paused.output
    assert "paused: Typo in the text" in run_hm("blasts", "show", name).output

    resumed = run_hm("blasts", "resume", name, input="y\n")
    assert "3 to send. Resume with the next recipient?" in resumed.output
    assert status(db, blast_id) == "sending"

    kept = run_hm("blasts", "cancel", name, input="n\n")
    assert kept.exit_code == 1
    assert "nothing changed" in kept.output
    assert status(db, blast_id) == "sending"
    cancelled = run_hm("blasts", "cancel", name, "--yes")
    assert cancelled.exit_code == 0, cancelled.output
    assert status(db, blast_id) == "cancelled"


def test_refusals_change_nothing(run_hm: Callable[..., Result], db: Connection) -> None:
    blast_id, name = draft_blast(db, opted_in=0, opted_out=2)
    refused = run_hm("blasts", "start", name, "--yes")
    assert refused.exit_code == 1
    assert "Nobody can receive this blast: 2 opted out (sms)" in refused.output
    assert "not started" in refused.output
    assert status(db, blast_id) == "draft"

    resumed = run_hm("blasts", "resume", blast_id, "--yes")
    assert resumed.exit_code == 1
    assert "invalid_blast_transition" in resumed.output

    unknown = run_hm("blasts", "show", "no such blast")
    assert (unknown.exit_code, "no blast 'no such blast'" in unknown.output) == (1, True)
    assert run_hm("blasts", "list", "--status", "done").exit_code == 1


def test_progress_is_the_blast_pages_live_read(
    run_hm: Callable[..., Result], db: Connection
) -> None:
    """Sends count as per-backend deltas that the workers fold onto the blast row about once a
    second; `hm blasts` reads blast_progress (row plus unfolded deltas), as the blast page does."""
    blast_id, name = draft_blast(db, opted_in=3, opted_out=0)
    assert run_hm("blasts", "start", name, "--yes").exit_code == 0
    db.execute("select private.add_blast_counts(%s, p_sent => 2, p_failed => 1)", (blast_id,))
    folded = db.execute(
        "select sent_count, failed_count from public.blasts where id = %s", (blast_id,)
    ).fetchone()
    assert folded == (0, 0)

    shown = run_hm("blasts", "show", name)
    assert shown.exit_code == 0, shown.output
    assert "2 of 3 sent, 1 failed, 0 skipped, 0 to send" in shown.output
    listed = run_hm("blasts", "list", "--status", "sending")
    assert any(name in line and "2/3" in line for line in listed.output.splitlines())
    paused = run_hm("blasts", "pause", name)
    assert "2 of 3 sent, 1 failed" in paused.output

    helped = run_hm("blasts", "--help")
    assert helped.exit_code == 0
    assert "list, preview and control them" in helped.output
