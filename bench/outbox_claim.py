"""The outbox claim in SQL, without workers or providers: what one claimed message costs.

`claim_outbound_messages` is the hottest path of sending. This times it directly in the
database, so a change to it can be compared before and after without the noise of worker
processes and simulators (bench/send_rate.py measures the whole path):

- SMS blast rows (path 2 of the claim: consent, suppressions, quiet hours, frequency cap,
  segments, token bucket, the message row written);
- queued marketing SMS already in the outbox (path 1, e.g. automations: the same checks on an
  existing row);
- email blast rows (path 2 for a channel without segments, frequency cap or validity period).

And what the workers call for email: `claim_outbound_messages_v3`, the same claim plus each
email's HTML part (`public.email_html`) and plain-text part (`public.email_text`), timed apart
("email blast rows, v3") so the renderers' cost shows beside the claim's. 1e6 divided by its
figure is how many emails per second one worker's claims can hand out at most.

Each round claims `--count` messages in batches of `--batch` on fresh contacts; the figure is
the database backend's CPU time per claimed message in microseconds (median over rounds; best
round beside it). CPU time rather than wall time: on a shared machine the wall time of the same
round swung by half while the backend's CPU time stayed within a few per cent (it is read from
/proc, so the bench runs on the database's machine, as the private stack does).

    .venv/bin/python bench/outbox_claim.py
    .venv/bin/python bench/outbox_claim.py --rounds 7 --count 4000
"""

from __future__ import annotations

import argparse
import os
import statistics
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psycopg
from benchkit import stop_on_sigterm

from devstack.simulators import scenario
from devstack.testing import private_stack

Connection = scenario.Connection


def backend_cpu_seconds(conn: Connection) -> float:
    """User and system CPU time the connection's backend process has used so far."""
    row = conn.execute("select pg_backend_pid()").fetchone()
    assert row is not None
    fields = Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def claim_all(conn: Connection, function: str, channel: str, count: int, batch: int) -> float:
    """Backend CPU seconds spent claiming `count` messages of a channel (the claims only)."""
    claimed, spent = 0, 0.0
    while claimed < count:
        started = backend_cpu_seconds(conn)
        rows = conn.execute(
            f"select count(*) from public.{function}('bench', %s, %s)", (channel, batch)
        ).fetchone()
        spent += backend_cpu_seconds(conn) - started
        taken = int(rows[0]) if rows else 0
        if taken == 0:
            raise RuntimeError(f"{function}({channel}) claimed nothing after {claimed} messages")
        claimed += taken
    return spent


def finish(conn: Connection, sender_id: str, blast_id: str | None) -> None:
    """Every round starts alike: earlier rounds' blasts and senders are out of the claim's way."""
    if blast_id is not None:
        conn.execute("select public.cancel_blast(%s)", (blast_id,))
    conn.execute("update public.senders set enabled = false where id = %s", (sender_id,))


def sms_blast_round(conn: Connection, count: int, batch: int) -> float:
    sender_id, _ = scenario.create_sms_sender(conn, mps=100_000)
    contacts = scenario.create_contacts(conn, count)
    blast_id = scenario.create_blast(
        conn, channel="sms", contacts=contacts, sms_sender_id=sender_id, body="Bench {{first_name}}"
    )
    scenario.start_blast(conn, blast_id)
    spent = claim_all(conn, "claim_outbound_messages", "sms", count, batch)
    finish(conn, sender_id, blast_id)
    return spent


def queued_sms_round(conn: Connection, count: int, batch: int) -> float:
    sender_id, number = scenario.create_sms_sender(conn, mps=100_000)
    contacts = scenario.create_contacts(conn, count)
    conn.execute(
        """insert into public.messages (direction, kind, channel, status, contact_id, sender_id,
             to_address, from_address, body, segments, is_marketing, recipient_time_zone)
           select 'outbound', 'automation', 'sms', 'queued', c.id, %s, c.phone, %s,
                  'Thanks for coming', 1, true, c.time_zone
           from public.contacts c where c.id = any (%s::uuid[])""",
        (sender_id, number, [c.id for c in contacts]),
    )
    spent = claim_all(conn, "claim_outbound_messages", "sms", count, batch)
    finish(conn, sender_id, None)
    return spent


def email_blast_round(
    conn: Connection, count: int, batch: int, claim: str = "claim_outbound_messages"
) -> float:
    sender_id = scenario.create_email_sender(conn, rate=100_000)
    contacts = scenario.create_contacts(conn, count)
    blast_id = scenario.create_blast(
        conn, channel="email", contacts=contacts, email_sender_id=sender_id
    )
    scenario.start_blast(conn, blast_id)
    spent = claim_all(conn, claim, "email", count, batch)
    finish(conn, sender_id, blast_id)
    return spent


ROUNDS: dict[str, Callable[[Connection, int, int], float]] = {
    "SMS blast rows": sms_blast_round,
    "queued marketing SMS": queued_sms_round,
    "email blast rows": email_blast_round,
    "email blast rows, v3": partial(email_blast_round, claim="claim_outbound_messages_v3"),
}


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=2000, help="messages claimed per round")
    parser.add_argument("--batch", type=int, default=100, help="p_limit of each claim")
    args = parser.parse_args()
    with (
        private_stack() as stack,
        psycopg.connect(stack.config.db_url(), autocommit=True) as conn,
    ):
        print(
            f"outbox claim: backend CPU µs per claimed message, {args.count} per round in "
            f"claims of {args.batch}, {args.rounds} rounds (median; best)"
        )
        # One unmeasured round each first: plans are cached and the tables warm.
        for run in ROUNDS.values():
            run(conn, args.batch, args.batch)
        results: dict[str, list[float]] = {name: [] for name in ROUNDS}
        for _ in range(args.rounds):
            # Interleaved, so a change in the machine's load touches every kind alike.
            for name, run in ROUNDS.items():
                results[name].append(run(conn, args.count, args.batch) / args.count * 1e6)
        for name, figures in results.items():
            print(f"  {name:<24} {statistics.median(figures):8.1f} µs  ({min(figures):.1f})")


if __name__ == "__main__":
    main()
