"""Prometheus metrics of the worker and the webhook server (one registry per process)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SENDS = Counter(
    "hm_messages_sent_total",
    "Provider calls by channel, sender and outcome",
    ["channel", "sender", "outcome"],
)
PROVIDER_ERRORS = Counter(
    "hm_provider_errors_total", "Provider errors by provider and code", ["provider", "code"]
)
CLAIMED = Counter("hm_messages_claimed_total", "Messages claimed from the outbox", ["channel"])
IN_FLIGHT = Gauge("hm_messages_in_flight", "Claimed messages not yet recorded", ["channel"])
QUEUE_DEPTH = Gauge("hm_outbox_queued", "Messages waiting in the outbox", ["channel"])
UNRESOLVED = Gauge("hm_unresolved_sends", "Ambiguous sends waiting to be resolved")
REALTIME_CONNECTED = Gauge(
    "hm_realtime_connected", "1 while the Realtime wake-up channel is joined"
)
WEBHOOK_LATENCY = Histogram(
    "hm_webhook_seconds",
    "Webhook handling time",
    ["provider"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15),
)
WEBHOOK_EVENTS = Counter(
    "hm_webhook_events_total", "Webhooks received by provider and result", ["provider", "result"]
)
