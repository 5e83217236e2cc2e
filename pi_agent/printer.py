"""The printer, seen through CUPS: is it ready, hand it a PDF, follow the job to its end.

`CupsPrinter` talks to a real cupsd with pycups (blocking calls: the agent runs them in a
thread). It opens a connection per call because a pycups connection must not be shared across
threads, and a local socket connection costs well under a millisecond.
"""

from __future__ import annotations

import enum
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cups

MEDIA = "Custom.2x4in"
LANDSCAPE = "4"  # IPP orientation-requested: 4 = landscape

# IPP printer-state and job-state values (RFC 8011).
PRINTER_PROCESSING, PRINTER_STOPPED = 4, 5
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9


class PrinterError(Exception):
    """CUPS could not be asked (unreachable, no such queue) or refused the job."""


@dataclass(frozen=True)
class PrinterStatus:
    """What the heartbeat reports and what decides whether to hand CUPS a job now."""

    state: str  # idle | processing | stopped | not-accepting | unreachable | missing
    reason: str | None

    @property
    def ready(self) -> bool:
        return self.state in ("idle", "processing")


class Outcome(enum.Enum):
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class JobResult:
    outcome: Outcome
    cups_job_id: int
    error: str | None = None


class Printer(Protocol):
    def status(self) -> PrinterStatus: ...

    def submit(self, pdf: bytes, title: str) -> int: ...

    def follow(self, cups_job_id: int, timeout: float) -> JobResult: ...


class CupsPrinter:
    """A CUPS queue on `server` (socket path or host[:port]; empty = the system default)."""

    def __init__(self, server: str, queue: str) -> None:
        self.server = server
        self.queue = queue

    def _connect(self) -> cups.Connection:
        host, _, port = (
            self.server.rpartition(":") if self._is_host_port() else (self.server, "", "")
        )
        try:
            if port:
                return cups.Connection(host=host, port=int(port))
            if self.server:
                return cups.Connection(host=self.server)
            return cups.Connection()
        except RuntimeError as error:
            raise PrinterError(
                f"CUPS at {self.server or 'the default server'} is unreachable"
            ) from error

    def _is_host_port(self) -> bool:
        return not self.server.startswith("/") and self.server.rpartition(":")[2].isdigit()

    def attributes(self) -> dict[str, Any]:
        """The queue's IPP attributes (PrinterError when CUPS or the queue is missing)."""
        connection = self._connect()
        try:
            attributes: dict[str, Any] = connection.getPrinterAttributes(self.queue)
        except cups.IPPError as error:
            raise PrinterError(
                f"CUPS has no queue named {self.queue!r}: {_ipp_message(error)}"
            ) from error
        return attributes

    def status(self) -> PrinterStatus:
        try:
            attributes = self.attributes()
        except PrinterError as error:
            state = "unreachable" if "unreachable" in str(error) else "missing"
            return PrinterStatus(state, str(error))
        reason = _printer_reason(attributes)
        if attributes.get("printer-state") == PRINTER_STOPPED:
            return PrinterStatus("stopped", reason or "printer stopped")
        if not attributes.get("printer-is-accepting-jobs", True):
            return PrinterStatus("not-accepting", reason or "printer is not accepting jobs")
        state = "processing" if attributes.get("printer-state") == PRINTER_PROCESSING else "idle"
        return PrinterStatus(state, reason)

    def submit(self, pdf: bytes, title: str) -> int:
        with tempfile.NamedTemporaryFile(prefix="hm-tag-", suffix=".pdf") as file:
            Path(file.name).write_bytes(pdf)
            connection = self._connect()
            try:
                job_id: int = connection.printFile(
                    self.queue,
                    file.name,
                    title,
                    {"media": MEDIA, "orientation-requested": LANDSCAPE},
                )
            except cups.IPPError as error:
                raise PrinterError(f"CUPS refused the job: {_ipp_message(error)}") from error
        return job_id

    def follow(self, cups_job_id: int, timeout: float) -> JobResult:
        """Wait for the job's final state; a job stuck past `timeout` is cancelled and failed."""
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            connection = self._connect()
            attributes: dict[str, Any] = connection.getJobAttributes(cups_job_id)
            state = attributes.get("job-state")
            if state == JOB_COMPLETED:
                return JobResult(Outcome.PRINTED, cups_job_id)
            if state in (JOB_CANCELED, JOB_ABORTED):
                return JobResult(Outcome.FAILED, cups_job_id, _job_reason(attributes, state))
            if time.monotonic() > deadline:
                reason = self._stuck_reason(attributes)
                connection.cancelJob(cups_job_id)
                return JobResult(
                    Outcome.FAILED, cups_job_id, f"not printed within {timeout:.0f} s: {reason}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def _stuck_reason(self, job: dict[str, Any]) -> str:
        printer = self.status()
        return printer.reason or _job_reason(job, job.get("job-state")) or printer.state


def _printer_reason(attributes: dict[str, Any]) -> str | None:
    message = str(attributes.get("printer-state-message") or "").strip()
    reasons = [r for r in _as_list(attributes.get("printer-state-reasons")) if r != "none"]
    parts = [part for part in (message, ", ".join(reasons)) if part]
    return " - ".join(parts) or None


def _job_reason(attributes: dict[str, Any], state: object) -> str:
    message = str(attributes.get("job-printer-state-message") or "").strip()
    reasons = [r for r in _as_list(attributes.get("job-state-reasons")) if r != "none"]
    label = "cancelled" if state == JOB_CANCELED else "aborted" if state == JOB_ABORTED else "stuck"
    return " - ".join(part for part in (f"CUPS job {label}", message, ", ".join(reasons)) if part)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def _ipp_message(error: cups.IPPError) -> str:
    args = error.args
    return str(args[1]) if len(args) > 1 else str(error)
