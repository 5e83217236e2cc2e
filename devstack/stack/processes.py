"""Start background servers with their pid recorded, and stop exactly those pids."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hm.errors import HmError


@dataclass(frozen=True)
class ManagedProcess:
    """A server the stack owns: its pid lives in `run_dir/<name>.pid`."""

    name: str
    run_dir: Path

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    def pid(self) -> int | None:
        """The recorded pid if that process is still alive."""
        try:
            pid = int(self.pid_file.read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        return pid if is_alive(pid) else None

    def record(self, pid: int) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{pid}\n")

    def start(self, argv: list[str], log_file: Path, env: dict[str, str] | None = None) -> int:
        """Run `argv` detached (own session, output to `log_file`) and record its pid."""
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            # posix_spawn rather than Popen: the server outlives this process by design, and the
            # pid we record is the server's own, not a shell's.
            pid = os.posix_spawnp(
                argv[0],
                argv,
                {**os.environ, **(env or {})},
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, log_fd, 1),
                    (os.POSIX_SPAWN_DUP2, log_fd, 2),
                ],
                setsid=True,
            )
        finally:
            os.close(log_fd)
        self.record(pid)
        return pid

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> bool:
        """Signal the recorded pid and wait for it to exit. Returns whether it was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while is_alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + timeout
            time.sleep(0.02)
        self.pid_file.unlink(missing_ok=True)
        return True


def is_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    # Children we spawned become zombies until reaped; reap if it is ours.
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def wait_until(
    check: Callable[[], bool], what: str, timeout: float = 15.0, log_file: Path | None = None
) -> None:
    """Poll `check()` until it is true; fail naming `what` and the tail of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    tail = ""
    if log_file and log_file.exists():
        tail = "\n" + "\n".join(log_file.read_text(errors="replace").splitlines()[-20:])
    raise HmError(f"{what} did not become ready within {timeout:.0f} s{tail}")
