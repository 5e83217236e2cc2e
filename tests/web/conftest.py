"""Browser tests of the SPA against the whole local system: the session's stack, the provider
simulator with a messaging worker (one-time codes arrive as texts), a real cupsd with the print
agent, the built SPA served as a static host would, and Debian's Chromium driven by
playwright-core (node scripts in tests/web/e2e)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pyotp
import pytest
from pydantic import SecretStr
from supabase import Client

from devstack.local_cups import LocalCups
from devstack.local_messaging import LocalMessaging, worker_name
from devstack.stack.manager import LocalStack
from devstack.testing import free_port
from hm.people import staff
from hm.people.service_api import ServiceApi
from hm.settings import SupabaseServiceSettings
from tests.polling import wait_for
from tests.staffed_door import StaffedDoor, staff_a_door

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
E2E = Path(__file__).parent / "e2e"
# Written for a person to look at (git-ignored), one folder per test.
SCREENSHOTS = Path(__file__).parent / "screenshots"
WEBHOOK_PUBLIC_URL = "https://hooks.hellomiami.test"


def run_npm(*args: str) -> None:
    subprocess.run(["npm", "--prefix", str(FRONTEND), "run", *args], check=True)


@pytest.fixture(scope="session")
def spa_dist() -> Path:
    """The SPA built once per session, exactly as it is deployed."""
    run_npm("build")
    return FRONTEND / "dist"


@pytest.fixture(scope="session")
def spa_url(stack: LocalStack, spa_dist: Path) -> Iterator[str]:
    """dist/ served with an SPA fallback and a /config.js pointing at the session's stack."""
    port = free_port()
    # The webhook base the Senders page shows (the workers' WEBHOOK_PUBLIC_URL in production).
    env = {**os.environ, **stack.config.client_env(), "WEBHOOK_PUBLIC_URL": WEBHOOK_PUBLIC_URL}
    log = Path(tempfile.mkdtemp(prefix="hm-spa-")) / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["node", str(FRONTEND / "scripts" / "serve.mjs"), "--port", str(port)],
            env=env,
            stdout=output,
            stderr=output,
        )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{url}/config.js", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(answers, seconds=20, what="the SPA server", state=lambda: log.read_text())
    yield url
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=10)
    shutil.rmtree(log.parent, ignore_errors=True)


# The tests' one worker. Erase requests filed here are inspected, or completed by the test that
# files them.
TEST_WORKER = worker_name(1)
TEST_WORKER_ENV = {"WORKER_ERASURE_INTERVAL_SECONDS": "0"}


@contextmanager
def worker_stopped(messaging: LocalMessaging) -> Iterator[None]:
    """The tests' worker stopped (SIGTERM, as a deploy or a crash would) so that nothing but the
    browser runs background jobs such as an import's chunks; started again afterwards."""
    messaging.worker(TEST_WORKER).stop()
    try:
        yield
    finally:
        messaging.start_worker(TEST_WORKER, **TEST_WORKER_ENV)


# Package scope: the worker must be gone before other packages' tests run on the session's
# stack, or it would claim (and send to this simulator) the messages they queue.
@pytest.fixture(scope="package")
def texting(stack: LocalStack) -> Iterator[LocalMessaging]:
    """Simulator, webhook server and one worker: Auth's codes reach the simulated phones."""
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        sender = conn.execute(
            "insert into public.senders (name, channel, provider, from_number, mps_segments,"
            " use_for_transactional)"
            " values ('Web tests', 'sms', 'twilio', '+13055550190', 10, true) returning id"
        ).fetchone()
    assert sender is not None
    folder = Path(tempfile.mkdtemp(prefix="hm-web-messaging-"))
    messaging = LocalMessaging(
        stack.config.client_env(),
        folder / "run",
        folder / "logs",
        simulator_port=free_port(),
        webhook_port=free_port(),
    )
    messaging.start(worker_count=0)
    messaging.start_worker(TEST_WORKER, **TEST_WORKER_ENV)
    yield messaging
    messaging.stop()
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute("update public.senders set enabled = false where id = %s", sender)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def phone_inbox(texting: LocalMessaging) -> Callable[[str], str]:
    """Read the newest one-time code texted to a number, as a person reads their phone."""

    def code_for(phone: str, after: int = 0) -> str:
        def texts() -> list[dict[str, Any]]:
            records = httpx.get(f"{texting.simulator.url}/_sim/sms", timeout=10).json()
            return [r for r in records if r["to"] == phone and "code" in r["body"]]

        received = wait_for(
            texts, lambda found: len(found) > after, seconds=30, what=f"a code for {phone}"
        )
        return str(received[-1]["body"].split()[-1])

    return code_for


@dataclass(frozen=True)
class Venue:
    """A published, open event with its own print station whose agent prints to cupsd."""

    door: StaffedDoor
    slug: str
    cups: LocalCups


@pytest.fixture
def venue(
    stack: LocalStack,
    supabase_env: dict[str, str],
    db: psycopg.Connection[tuple[Any, ...]],
    make_client: Callable[..., Client],
    cups: LocalCups,
    tmp_path: Path,
) -> Iterator[Venue]:
    door = staff_a_door(supabase_env, db, make_client, "web", cups.queue)
    row = db.execute("select slug from public.events where id = %s", (door.event_id,)).fetchone()
    assert row is not None
    hm = Path(sys.executable).with_name("hm")
    env = {
        **os.environ,
        "SUPABASE_URL": supabase_env["SUPABASE_URL"],
        "SUPABASE_ANON_KEY": supabase_env["SUPABASE_ANON_KEY"],
        "SUPABASE_SERVICE_ROLE_KEY": "",
        "HM_DEVICE_EMAIL": door.station.email,
        "HM_DEVICE_PASSWORD": door.station.password,
        "HM_CUPS_SERVER": cups.server,
        "HM_CUPS_QUEUE": cups.queue,
        "HM_POLL_SECONDS": "1",
    }
    with (tmp_path / "agent.log").open("ab") as log:
        agent = subprocess.Popen([str(hm), "pi", "run"], env=env, stdout=log, stderr=log)
    yield Venue(door, str(row[0]), cups)
    agent.send_signal(signal.SIGTERM)
    try:
        agent.wait(timeout=10)
    except subprocess.TimeoutExpired:
        agent.kill()
        agent.wait()


# Lines of each of the stack's logs shown when a script fails: what the gateway, PostgREST and
# Postgres said while the browser waited.
LOG_TAIL_LINES = 25


def log_tails(log_dir: Path) -> str:
    tails = []
    for log in sorted(log_dir.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
        tails.append(f"--- last lines of {log.name}:\n" + "\n".join(lines))
    return "\n".join(tails)


@dataclass
class BrowserRun:
    """What an e2e script reported: its final result line and every step's line."""

    result: dict[str, Any]
    lines: list[dict[str, Any]]


@pytest.fixture
def run_browser(
    spa_url: str, stack: LocalStack, request: pytest.FixtureRequest
) -> Callable[..., BrowserRun]:
    """Run tests/web/e2e/<script>.mjs in Chromium. The script prints JSON lines; a line
    {"need_code": phone} is answered on its stdin by `answer(phone)`; the last line is the
    result."""

    def run(script: str, answer: Callable[[str], str] | None = None, **env: str) -> BrowserRun:
        shots = SCREENSHOTS / request.node.name
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True)
        full_env = {
            **os.environ,
            "BASE_URL": spa_url,
            "SCREENSHOTS": str(shots),
            "FRONTEND": str(FRONTEND),
            **env,
        }
        lines: list[dict[str, Any]] = []
        with subprocess.Popen(
            ["node", str(E2E / f"{script}.mjs")],
            env=full_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as node:
            assert node.stdin is not None
            assert node.stdout is not None
            assert node.stderr is not None
            for raw in node.stdout:
                message = json.loads(raw)
                lines.append(message)
                if "need_code" in message:
                    assert answer is not None, "the script asked for a code nobody can read"
                    node.stdin.write(answer(message["need_code"]) + "\n")
                    node.stdin.flush()
            stderr = node.stderr.read()
        assert node.returncode == 0, (
            f"{script}.mjs failed:\n{stderr}\nlines: {lines}\n{log_tails(stack.config.log_dir)}"
        )
        assert lines, f"the script printed nothing:\n{stderr}"
        assert "result" in lines[-1], f"no result line: {lines}\n{stderr}"
        return BrowserRun(lines[-1]["result"], lines)

    return run


# Admins and owners need a second factor (aal2) for admin screens and functions.
LEVELS_WITH_TWO_FACTOR = frozenset({"admin", "owner"})


@dataclass(frozen=True)
class StaffLogin:
    """A staff member as a test signs in: admins and owners come with a verified TOTP factor
    enrolled through Auth's MFA API, and `totp_secret` is what their authenticator app holds
    (e2e scripts get it as an env var and answer the sign-in challenge with browser.mjs's
    `signInAsStaff`)."""

    user_id: str
    email: str
    password: str
    level: str
    totp_secret: str | None

    def totp_code(self) -> str:
        assert self.totp_secret is not None, f"{self.email} has no second factor"
        return pyotp.TOTP(self.totp_secret).now()

    def browser_env(self, prefix: str) -> dict[str, str]:
        """`<prefix>_EMAIL`, `_PASSWORD` and `_TOTP_SECRET` ("" when none) for run_browser."""
        return {
            f"{prefix}_EMAIL": self.email,
            f"{prefix}_PASSWORD": self.password,
            f"{prefix}_TOTP_SECRET": self.totp_secret or "",
        }


def enrol_totp(client: Client, email: str, password: str) -> str:
    """Sign in, enrol and verify a TOTP factor as the person would; returns its secret."""
    client.auth.sign_in_with_password({"email": email, "password": password})
    enrolled = client.auth.mfa.enroll({"factor_type": "totp", "friendly_name": "Test phone"})
    secret = enrolled.totp.secret
    client.auth.mfa.challenge_and_verify(
        {"factor_id": enrolled.id, "code": pyotp.TOTP(secret).now()}
    )
    client.auth.sign_out({"scope": "local"})
    return secret


@pytest.fixture
def make_staff(
    supabase_env: dict[str, str], make_client: Callable[..., Client]
) -> Iterator[Callable[..., StaffLogin]]:
    """Factory: `make_staff("owner")` creates an active staff member at that level with a
    one-time password, through the same functions as `hm staff add`; admins and owners also get
    a verified TOTP factor unless `two_factor=False` (to test what aal1 may not do)."""
    settings = SupabaseServiceSettings(
        supabase_url=supabase_env["SUPABASE_URL"],
        supabase_service_role_key=SecretStr(supabase_env["SUPABASE_SERVICE_ROLE_KEY"]),
    )
    with ServiceApi(settings) as api:

        def make(level: str, *, two_factor: bool | None = None) -> StaffLogin:
            email = f"{level}-{uuid.uuid4().hex[:8]}@example.com"
            added = staff.add_staff(api, email, level)
            wants_factor = level in LEVELS_WITH_TWO_FACTOR if two_factor is None else two_factor
            secret = enrol_totp(make_client(), email, added.password) if wants_factor else None
            return StaffLogin(added.member.user_id, email, added.password, level, secret)

        yield make
