"""JavaScript the self check-in route (/e/<slug>) needs before its first screen, gzipped (its
static import graph, proven sufficient in Chromium; issue 13's budget: at most 150 KB), and how long
that screen takes to appear, against a private stack with the SPA built and served as a static host
would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
from benchkit import stop_on_sigterm

from devstack.testing import free_port, private_stack

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"
BUDGET_GZ = 150 * 1024
RUNS = 5


def measure(base_url: str, route: str, route_module: str, ready_selector: str) -> dict[str, object]:
    env = {
        **os.environ,
        "BASE_URL": base_url,
        "ROUTE": route,
        "ROUTE_MODULE": route_module,
        "READY_SELECTOR": ready_selector,
    }
    out = subprocess.run(
        ["node", str(FRONTEND / "scripts" / "first-paint-js.mjs")],
        env=env,
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def main() -> None:
    stop_on_sigterm()
    subprocess.run(["npm", "--prefix", str(FRONTEND), "run", "--silent", "build"], check=True)
    with private_stack() as stack:
        with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
            conn.execute(
                "insert into public.events (slug, name, venue, starts_at, ends_at, published)"
                " values ('bench-night', 'Bench night', 'The Lab', now(),"
                " now() + interval '2 hours', true)"
            )
        port = free_port()
        server = subprocess.Popen(
            ["node", str(FRONTEND / "scripts" / "serve.mjs"), "--port", str(port)],
            env={**os.environ, **stack.config.client_env()},
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base_url}/config.js", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            runs = [
                measure(
                    base_url,
                    "/e/bench-night",
                    "src/attendee/SelfCheckIn.tsx",
                    "form button[type=submit]",
                )
                for _ in range(RUNS)
            ]
        finally:
            server.terminate()
            server.wait(timeout=10)
    first = runs[0]
    js = int(str(first["js_before_ready_gz"]))
    ready = sorted(int(str(run["ready_ms"])) for run in runs)
    print(
        f"/e/<slug>: JS before the phone form appears: {js / 1024:.1f} KB gz "
        f"(budget {BUDGET_GZ / 1024:.0f} KB) {'OK' if js <= BUDGET_GZ else 'OVER BUDGET'}"
    )
    print(
        f"  CSS {int(str(first['css_gz'])) / 1024:.1f} KB gz; loaded after paint: "
        f"{int(str(first['js_after_ready_gz'])) / 1024:.1f} KB gz (phone library, code boxes)"
    )
    print(
        f"  phone form on screen after {ready[len(ready) // 2]} ms median, {ready[-1]} ms max "
        f"({RUNS} cold loads, local server)"
    )
    for chunk in first["before"]:  # type: ignore[attr-defined]
        print(f"    {chunk['file']:<48} {chunk['gz'] / 1024:6.1f} KB")
    sys.exit(0 if js <= BUDGET_GZ else 1)


if __name__ == "__main__":
    main()
