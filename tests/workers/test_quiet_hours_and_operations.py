"""Quiet hours rechecked at send time (with a controllable clock) and the worker's health and
metrics endpoints, end to end."""

from __future__ import annotations

import time

import httpx

from devstack.simulators import scenario
from devstack.testing import free_port
from tests.polling import eventually
from tests.workers.conftest import System
from tests.workers.flow_helpers import Connection, blast_statuses, texts_to


def test_marketing_texts_wait_for_the_recipients_daytime(system: System, db: Connection) -> None:
    sender_id, number = scenario.create_sms_sender(db, mps=50)
    awake = scenario.create_contacts(db, 5, time_zone=scenario.zone_at_local_hour(13))
    asleep = scenario.create_contacts(db, 5, time_zone=scenario.zone_at_local_hour(23))
    blast_id = scenario.create_blast(
        db, channel="sms", contacts=awake + asleep, sms_sender_id=sender_id
    )
    system.start_worker("daytime")
    scenario.start_blast(db, blast_id)
    eventually(
        lambda: blast_statuses(db, blast_id).get("delivered") == 5, 30, "daytime texts delivered"
    )
    time.sleep(2.0)
    assert set(texts_to(system.sim.sms(), number)) == {c.phone for c in awake}
    system.stop_workers()
    # Twelve hours later it is 11:00 where it was 23:00: the same blast goes on by itself.
    system.start_worker("next-morning", WORKER_CLOCK_OFFSET_SECONDS=str(12 * 3600))
    eventually(
        lambda: blast_statuses(db, blast_id).get("delivered") == 10, 30, "morning texts delivered"
    )
    assert set(texts_to(system.sim.sms(), number)) == {c.phone for c in awake + asleep}
    validity = db.execute(
        "select min(validity_period_seconds) from public.messages where blast_id = %s",
        (blast_id,),
    ).fetchone()
    assert validity is not None
    assert 0 < validity[0] <= 3600
    assert all(r["validity_period"] for r in system.sim.sms() if r["from_"] == number)


def test_worker_serves_health_and_prometheus_metrics(system: System, db: Connection) -> None:
    port = free_port()
    sender_id, _ = scenario.create_sms_sender(db, mps=50)
    contacts = scenario.create_contacts(db, 3)
    blast_id = scenario.create_blast(db, channel="sms", contacts=contacts, sms_sender_id=sender_id)
    system.start_worker("observed", WORKER_METRICS_PORT=str(port))
    scenario.start_blast(db, blast_id)
    eventually(lambda: blast_statuses(db, blast_id).get("delivered") == 3, 30, "delivered")

    def answers() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    eventually(answers, 15, "worker health endpoint")
    assert httpx.get(f"http://127.0.0.1:{port}/health").json()["worker_id"] == "observed"
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    assert f'hm_messages_sent_total{{channel="sms",outcome="sent",sender="{sender_id}"}} 3.0' in (
        metrics
    )
    assert "hm_realtime_connected 1.0" in metrics
    webhook_metrics = httpx.get(f"{system.messaging.webhook_url}/metrics").text
    assert "hm_webhook_seconds_bucket" in webhook_metrics
