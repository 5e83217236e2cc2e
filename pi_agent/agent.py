"""The print agent's loop: sign in as the device, wake on Realtime or every few seconds, claim its
jobs, print each through CUPS and record the outcome.

Realtime is only a hint (it sets `woken`); every job is found by `claim_print_jobs_v2` (for the
kinds `pi_agent.renderers` can render), which runs on start, after each (re)subscription and on
every poll, so a lost event only delays a tag by one poll interval. The job's life on this side:

    claimed --printer not ready--> requeue (bounded by attempts) or failed with CUPS's reason
    claimed --start_print_job--> printing --render, submit, follow--> printed | failed

Refusals are told apart: the network or server being away, or one job's refusal, is retried with
backoff; a login Supabase rejects, or a device the database no longer accepts as an enabled print
station (disabled, unknown or removed), stops the agent with what a person must do
(`PermanentRefusal`) — no retry can fix those.

Once `start_print_job` has returned, the job may have reached paper: a crash from there on leaves it
'printing' until its lease expires and the database marks it 'unknown' for a person to decide.
The agent never prints a job it has not freshly claimed, so nothing is ever silently reprinted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import httpx
from realtime import RealtimePostgresChangesListenEvent, RealtimeSubscribeStates
from supabase import AsyncClient, AsyncClientOptions, acreate_client
from supabase_auth.errors import AuthApiError, AuthRetryableError

from hm.errors import HmError
from pi_agent.jobs import AgentBeat, JobRefused, JobStore, PrintJob, SupabaseJobStore
from pi_agent.label import LabelDataError
from pi_agent.printer import CupsPrinter, Outcome, Printer, PrinterError, PrinterStatus
from pi_agent.renderers import RENDERERS, UnrenderableKind, render
from pi_agent.settings import AgentSettings

log = logging.getLogger("hm.pi")

# Failures that mean "the network or the server is away for now": back off and try again.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    httpx.HTTPError,
    OSError,
    AuthRetryableError,
    TimeoutError,
)
# What the loop backs off from and tries again: those, and a refusal of one call (a job's
# transition, say) — except NOT_A_STATION, which is permanent.
RETRIED_ERRORS: tuple[type[BaseException], ...] = (*TRANSIENT_ERRORS, JobRefused)
CLAIM_BATCH = 10
LEASE_SECONDS = 60
REFRESH_MARGIN_SECONDS = 120
MAX_BACKOFF_SECONDS = 10.0
SUBSCRIBE_SECONDS = 5.0
DEFAULT_QUEUE = "Label"
# The contract's refusal of a caller that is not an enabled print station
# (private.require_device): every call of a device disabled or removed since sign-in gets it.
NOT_A_STATION = "not_allowed"


class PermanentRefusal(HmError):
    """Supabase refuses this device for good: retrying cannot help until a person acts."""


class CredentialsRejected(PermanentRefusal):
    """The device's email/password were refused."""


class DeviceRefused(PermanentRefusal):
    """The login works but is not an enabled print station (unknown, disabled or removed)."""


@dataclass
class Device:
    id: str
    cups_queue: str | None


@dataclass
class AgentState:
    """What the loop remembers between iterations (kept apart for the tests' assertions)."""

    subscribed: bool = False
    last_heartbeat: float = 0.0
    last_printer: PrinterStatus | None = None
    last_claim_at: datetime | None = None
    failures_in_a_row: int = 0
    printed: list[str] = field(default_factory=list)


class Agent:
    def __init__(self, settings: AgentSettings, printer: Printer | None = None) -> None:
        self.settings = settings
        self._printer = printer
        self.state = AgentState()
        self.woken = asyncio.Event()
        self._client: AsyncClient | None = None
        self._http: httpx.AsyncClient | None = None
        self._device: Device | None = None
        self._channel: Any = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set. Network loss never ends the loop; a permanent refusal
        (`PermanentRefusal`) does."""
        try:
            while not stop.is_set():
                requeue_pause = 0.0
                try:
                    await self.connect()
                    await self.refresh_session_if_due()
                    await self._subscribe_if_needed()
                    printer = await self._heartbeat_if_due()
                    requeue_pause = await self._drain(stop, printer)
                    self.state.failures_in_a_row = 0
                except RETRIED_ERRORS as error:
                    if isinstance(error, JobRefused) and error.code == NOT_A_STATION:
                        raise self._no_longer_a_station(error) from error
                    self.state.failures_in_a_row += 1
                    log.warning("offline or refused, will retry: %s", _describe(error))
                pause = max(requeue_pause, self._backoff())
                await _wait_for_any(self.woken, stop, pause)
                self.woken.clear()
        finally:
            await self.close()

    def _backoff(self) -> float:
        failures = self.state.failures_in_a_row
        if failures == 0:
            return self.settings.poll_seconds
        return min(MAX_BACKOFF_SECONDS, self.settings.poll_seconds, 0.5 * 2.0 ** (failures - 1))

    @property
    def printer(self) -> Printer:
        if self._printer is None:
            queue = (
                self.settings.cups_queue
                or (self._device and self._device.cups_queue)
                or DEFAULT_QUEUE
            )
            self._printer = CupsPrinter(self.settings.cups_server, queue)
        return self._printer

    # -- Supabase session --------------------------------------------------------------------

    async def connect(self) -> None:
        """Sign in as the device (once) and learn its devices row."""
        if self._client is not None and self._device is not None:
            return
        if self._client is None:
            self._http = httpx.AsyncClient(timeout=10.0)
            self._client = await acreate_client(
                self.settings.supabase_url,
                self.settings.supabase_anon_key.get_secret_value(),
                AsyncClientOptions(httpx_client=self._http, auto_refresh_token=False),
            )
        await self._sign_in()
        rows = (
            await self.client.table("devices")
            .select("id,cups_queue")
            .eq("user_id", await self._user_id())
            .execute()
        ).data
        if not rows:
            raise DeviceRefused(
                f"{self.settings.device_email} is not a print station; "
                "create one with `hm devices add`"
            )
        row = rows[0]
        if not isinstance(row, dict):
            raise TypeError(f"unexpected devices row {row!r}")
        queue = row.get("cups_queue")
        self._device = Device(str(row["id"]), str(queue) if queue else None)
        log.info("signed in as device %s", self._device.id)

    def _no_longer_a_station(self, refused: JobRefused) -> DeviceRefused:
        device = self._device.id if self._device else self.settings.device_email
        return DeviceRefused(
            f"the database no longer accepts device {device} as a print station "
            f"(disabled or removed: {refused}). An admin re-enables it or adds a new one with "
            "`hm devices add`; then restart the agent."
        )

    @property
    def client(self) -> AsyncClient:
        if self._client is None:
            raise RuntimeError("the agent is not connected")
        return self._client

    @property
    def store(self) -> JobStore:
        return SupabaseJobStore(self.client, tuple(RENDERERS))

    async def _sign_in(self) -> None:
        try:
            await self.client.auth.sign_in_with_password(
                {
                    "email": self.settings.device_email,
                    "password": self.settings.device_password.get_secret_value(),
                }
            )
        except AuthRetryableError:
            raise
        except AuthApiError as error:
            if error.status >= 500:
                raise AuthRetryableError(str(error), error.status) from error
            if error.code == "user_banned":
                # A station disabled in the app has its login banned (workers/station_logins.py).
                raise DeviceRefused(
                    f"the login {self.settings.device_email!r} is locked: the station was "
                    "disabled in the app. An admin enables it again on Print stations; then "
                    "restart the agent."
                ) from error
            raise CredentialsRejected(
                f"Supabase refused the device login {self.settings.device_email!r}: {error}. "
                "Check HM_DEVICE_EMAIL/HM_DEVICE_PASSWORD (shown once by `hm devices add`)."
            ) from error

    async def _user_id(self) -> str:
        session = await self.client.auth.get_session()
        if session is None:
            raise AuthRetryableError("no session after sign-in", 0)
        return str(session.user.id)

    async def refresh_session_if_due(self) -> None:
        """Refresh well before expiry; a refresh token that no longer works means sign in again."""
        session = await self.client.auth.get_session()
        if session is not None and (session.expires_at or 0) - time.time() > REFRESH_MARGIN_SECONDS:
            return
        try:
            await self.client.auth.refresh_session()
        except AuthRetryableError:
            raise
        except AuthApiError:
            log.info("session could not be refreshed; signing in again")
            await self._sign_in()

    # -- Realtime ----------------------------------------------------------------------------

    async def _subscribe_if_needed(self) -> None:
        if not self.settings.realtime or self._channel is not None or self._device is None:
            return
        channel = self.client.channel(f"print-jobs-{self._device.id}")
        channel.on_postgres_changes(
            RealtimePostgresChangesListenEvent.Insert,
            lambda _payload: self.woken.set(),
            table="print_jobs",
            schema="public",
            filter=f"device_id=eq.{self._device.id}",
        )
        try:
            # Bounded: a Realtime endpoint that hangs must not hold up polling.
            await asyncio.wait_for(channel.subscribe(self._on_channel_state), SUBSCRIBE_SECONDS)
        except Exception as error:
            # Any failure here leaves printing to polling; the next iteration subscribes again.
            log.warning("realtime subscription failed (polling continues): %s", _describe(error))
            # Best effort: the half-open channel may already be gone with its socket.
            with contextlib.suppress(Exception):
                await self.client.remove_channel(channel)
            return
        self._channel = channel

    def _on_channel_state(self, state: RealtimeSubscribeStates, error: Exception | None) -> None:
        # (Re)subscribed: jobs inserted while we were not listening are claimed right away.
        self.state.subscribed = state == RealtimeSubscribeStates.SUBSCRIBED
        if not self.state.subscribed:
            log.warning("realtime channel %s: %s (polling continues)", state, error)
        self.woken.set()

    # -- heartbeat ---------------------------------------------------------------------------

    async def _heartbeat_if_due(self) -> PrinterStatus:
        printer = await asyncio.to_thread(self.printer.status)
        changed = printer != self.state.last_printer
        due = time.monotonic() - self.state.last_heartbeat >= self.settings.heartbeat_seconds
        if changed or due:
            beat = AgentBeat(
                version("hello-miami"),
                math.ceil(self.settings.heartbeat_seconds),
                self.state.last_claim_at,
            )
            await self.store.heartbeat(printer.state, printer.reason, beat)
            self.state.last_heartbeat = time.monotonic()
            self.state.last_printer = printer
        return printer

    # -- printing ----------------------------------------------------------------------------

    async def _drain(self, stop: asyncio.Event, printer: PrinterStatus) -> float:
        """Claim and print until the queue is empty. Returns how long to wait before the next
        claim: the retry delay when the printer turned jobs away, else 0."""
        while not stop.is_set():
            jobs = await self.store.claim(CLAIM_BATCH, LEASE_SECONDS)
            if not jobs:
                return 0.0
            self.state.last_claim_at = datetime.now(UTC)
            turned_away = False
            for index, job in enumerate(jobs):
                if stop.is_set() or turned_away:
                    # Nothing of these reached CUPS: hand them back rather than wait for the lease.
                    await self._requeue(jobs[index:], "agent stopping or printer not ready")
                    break
                turned_away = not await self._print(job)
            if turned_away:
                return self.settings.retry_seconds
        return 0.0

    async def _requeue(self, jobs: list[PrintJob], reason: str) -> None:
        for job in jobs:
            await self.store.finish(job.id, "requeue", error=reason)

    async def _print(self, job: PrintJob) -> bool:
        """Print one claimed job. False when the printer turned it away for now (requeued)."""
        status = await asyncio.to_thread(self.printer.status)
        if not status.ready:
            reason = f"printer {status.state}: {status.reason or 'no reason given by CUPS'}"
            if job.attempts < self.settings.max_attempts:
                log.info("job %s requeued (attempt %d): %s", job.id, job.attempts, reason)
                await self.store.finish(job.id, "requeue", error=reason)
                return False
            log.warning("job %s failed after %d attempts: %s", job.id, job.attempts, reason)
            await self.store.finish(job.id, "failed", error=reason)
            return True
        try:
            await self.store.start(job.id)
        except JobRefused as refused:
            if refused.code in ("lease_lost", "unknown_job"):
                log.warning("job %s no longer ours, skipped: %s", job.id, refused)
                return True
            raise
        # From here the job may reach paper: every outcome is recorded, never retried blindly.
        try:
            pdf = render(job.kind, job.payload)
            cups_job_id = await asyncio.to_thread(self.printer.submit, pdf, f"hm-{job.id}")
        except (LabelDataError, UnrenderableKind, PrinterError) as error:
            await self._record(job.id, "failed", None, str(error))
            return True
        result = await asyncio.to_thread(
            self.printer.follow, cups_job_id, self.settings.job_timeout_seconds
        )
        await self._record(job.id, result.outcome.value, cups_job_id, result.error)
        if result.outcome is Outcome.PRINTED:
            self.state.printed.append(job.id)
        log.info(
            "job %s %s (CUPS job %d) %s",
            job.id,
            result.outcome.value,
            cups_job_id,
            result.error or "",
        )
        return True

    async def _record(
        self, job_id: str, outcome: str, cups_job_id: int | None, error: str | None
    ) -> None:
        """Report an outcome CUPS already decided; keep trying through network loss (if the
        process dies first, the lease expires and the job becomes 'unknown')."""
        delay = 0.2
        while True:
            try:
                await self.refresh_session_if_due()
                await self.store.finish(job_id, outcome, cups_job_id, error)
                return
            except (httpx.HTTPError, OSError, AuthRetryableError, TimeoutError) as problem:
                log.warning(
                    "could not record job %s as %s yet: %s", job_id, outcome, _describe(problem)
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(*TRANSIENT_ERRORS):
                await self._client.realtime.close()
        if self._http is not None:
            await self._http.aclose()


async def _wait_for_any(woken: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.create_task(woken.wait()), asyncio.create_task(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
