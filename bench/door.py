"""Benchmark: the door and self check-in in Chromium, against a private stack with 100k contacts.

Builds and serves the SPA, signs a volunteer in at /door/<slug> and reports:
  * QR shown to the camera → result card, p95 over 50 scans (goal < 300 ms): a second Chromium
    whose fake camera plays each attendee's QR in turn (bench/door_camera_video.mjs); from the
    video frame that first shows the code (sampled in the page as it is presented) to the card,
    so the frame wait, the zxing wasm decode, check_in over REST and the render are all in it,
  * code read → result card, p95 over 50 scans: the token typed as a USB scanner types it
    (+ Enter), the same handler the camera's decoder calls (the camera's figure minus this is
    what the camera and the decode cost),
  * phone lookup, last keystroke → the person's row, p95 over 50 lookups (goal < 150 ms),
  * gzipped JavaScript /door/<slug> and /e/<slug> need before their first paint (goal ≤ 150 KB):
    their static import graphs in the build manifest, each proven enough by loading the route
    with every other script held back (the QR wasm and its glue load only when the camera starts),
  * the wasm's own size and that it is served with the build (cached by its hashed name).

Run: .venv/bin/python bench/door.py [--contacts 100000] [--scans 50] [--camera-scans 50]
     [--lookups 50]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from benchkit import percentile, stop_on_sigterm

from devstack.stack.postgres import SUPERUSER
from devstack.testing import free_port, private_stack
from hm.people import devices, staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.polling import wait_for

REPO = Path(__file__).resolve().parents[1]
FRONTEND = REPO / "frontend"
GOALS = {"scan_p95_ms": 300.0, "lookup_p95_ms": 150.0, "first_paint_js_gz_kb": 150.0}


def load(conn: psycopg.Connection[Any], contacts: int, device_id: str) -> str:
    """N contacts with valid US mobile numbers and an open event; returns the event's slug."""
    conn.execute("set session_replication_role = replica")  # bulk load: skip audit triggers
    conn.execute(
        "insert into public.contacts (phone, first_name, last_name, company)"
        " select '+1305' || (2000000 + i)::text, 'First' || i, 'Last' || (i %% 997),"
        "        'Company ' || (i %% 500)"
        "   from generate_series(1, %s) i",
        (contacts,),
    )
    conn.execute("set session_replication_role = origin")
    conn.execute(
        "insert into public.events (slug, name, starts_at, ends_at, published, default_device_id)"
        " values ('bench-door', 'Bench Door', now(), now() + interval '3 hours', true, %s)",
        (device_id,),
    )
    conn.execute("analyze")
    return "bench-door"


def sample(conn: psycopg.Connection[Any], count: int, offset: int) -> list[dict[str, str]]:
    rows = conn.execute(
        "select qr_token, phone::text, first_name || ' ' || last_name from public.contacts"
        " order by id limit %s offset %s",
        (count, offset),
    ).fetchall()
    return [{"token": str(t), "phone": str(p)[2:], "name": str(n)} for t, p, n in rows]


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument("--camera-scans", type=int, default=50)
    parser.add_argument("--lookups", type=int, default=50)
    args = parser.parse_args()

    subprocess.run(
        ["npm", "--prefix", str(FRONTEND), "run", "--silent", "build"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with (
        private_stack() as stack,
        psycopg.connect(stack.config.db_url(SUPERUSER), autocommit=True) as conn,
    ):
        settings = SupabaseServiceSettings(
            supabase_url=stack.config.api_url,
            supabase_service_role_key=stack.config.service_role_key,
        )
        with ServiceApi(settings) as api:
            volunteer = staff.add_staff(
                api, f"bench-{uuid.uuid4().hex[:6]}@hellomiami.local", "volunteer"
            )
            station = devices.add_device(api, "bench-door", "Lab", "Label")
        slug = load(conn, args.contacts, station.device_id)
        scans = sample(conn, args.scans, 0)
        lookups = sample(conn, args.lookups, args.scans + 1000)
        camera_scans = sample(conn, args.camera_scans, args.scans + args.lookups + 2000)

        port = free_port()
        server = subprocess.Popen(
            ["node", str(FRONTEND / "scripts" / "serve.mjs"), "--port", str(port)],
            env={**os.environ, **stack.config.client_env()},
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: _answers(base), seconds=20, what="the SPA server")
            run = subprocess.run(
                ["node", str(Path(__file__).with_name("door_browser.mjs"))],
                env={
                    **os.environ,
                    "BASE_URL": base,
                    "FRONTEND": str(FRONTEND),
                    "EVENT_SLUG": slug,
                    "EMAIL": volunteer.member.email,
                    "PASSWORD": volunteer.password,
                    "SCANS": json.dumps(scans),
                    "LOOKUPS": json.dumps(lookups),
                    "CAMERA_SCANS": json.dumps(camera_scans),
                },
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        if run.returncode != 0:
            raise SystemExit(f"door_browser.mjs failed:\n{run.stderr}")
        measured = json.loads(run.stdout.strip().splitlines()[-1])
        checked_in = conn.execute(
            "select count(*) from public.check_ins c join public.events e on e.id = c.event_id"
            " where e.slug = %s",
            (slug,),
        ).fetchone()

    wasm = next((FRONTEND / "dist" / "assets").glob("zxing_reader-*.wasm"))
    figures = {
        "contacts": args.contacts,
        "camera_scan_ms": _summary(measured["camera_scan_ms"]),
        "camera_codes_read": f"{len(measured['camera_scan_ms'])} of {args.camera_scans}",
        # Codes that came into view while the camera ran (the video loops): tells a code the
        # decoder missed from one the fake camera never played.
        "camera_codes_shown": measured["camera_codes_shown"],
        "scan_ms": _summary(measured["scan_ms"]),
        "lookup_ms": _summary(measured["lookup_ms"]),
        "door_first_paint_js_gz_kb": kb(measured["door_scripts"]["js_before_ready_gz"]),
        "self_check_in_first_paint_js_gz_kb": kb(
            measured["self_check_in_scripts"]["js_before_ready_gz"]
        ),
        "qr_wasm_gz_kb": kb(len(gzip.compress(wasm.read_bytes()))),
        "qr_wasm_served_as": f"/assets/{wasm.name} (hashed name: cached by the browser)",
        "check_ins": checked_in[0] if checked_in else None,
        "goals": GOALS,
    }
    print(json.dumps(figures, indent=2))
    met = (
        len(measured["camera_scan_ms"]) == args.camera_scans
        and figures["camera_scan_ms"]["p95_ms"] < GOALS["scan_p95_ms"]
        and figures["lookup_ms"]["p95_ms"] < GOALS["lookup_p95_ms"]
        and figures["door_first_paint_js_gz_kb"] <= GOALS["first_paint_js_gz_kb"]
        and figures["self_check_in_first_paint_js_gz_kb"] <= GOALS["first_paint_js_gz_kb"]
    )
    print("goals met" if met else "GOAL MISSED")


def kb(size: int) -> float:
    return round(size / 1024, 1)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/config.js", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    return {
        "p50_ms": round(percentile(values, 0.50), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
        "count": len(values),
    }


if __name__ == "__main__":
    main()
