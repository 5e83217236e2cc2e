"""A private `cupsd` with a name-tag queue that writes each job's PDF to a file.

Used by the tests and by `hm dev up`, so a laptop without a label printer (and without touching
the system CUPS) prints real jobs through real CUPS: `start(state_dir)` writes a config under
`state_dir`, runs `cupsd -f` with its pid recorded, and adds the queue with our PPD, whose
pass-through filter makes the `file:` device receive exactly the PDF the agent rendered. (A raw
queue would report "completed" and write nothing.) Each job overwrites the output file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from devstack.stack.processes import ManagedProcess, wait_until
from hm.errors import HmError

PPD_PATH = Path(__file__).with_name("ppd") / "hello-miami-label.ppd"
DEFAULT_QUEUE = "Label"
_CUPS_DATA_DIR = Path("/usr/share/cups")
_CUPS_SERVER_BIN = Path("/usr/lib/cups")
_SYSTEM_CUPS_CONFIG = Path("/etc/cups")


@dataclass(frozen=True)
class LocalCups:
    """A running private cupsd (or where one would run) under `state_dir`."""

    state_dir: Path
    port: int
    queue: str = DEFAULT_QUEUE

    @property
    def socket_path(self) -> Path:
        return self.state_dir / "cups.sock"

    @property
    def server(self) -> str:
        """What pycups' `setServer` / `CUPS_SERVER` take: the domain socket."""
        return str(self.socket_path)

    @property
    def output_path(self) -> Path:
        """Where the queue's `file:` device writes the last job's PDF."""
        return self.state_dir / "output" / "label-output.pdf"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "log" / "cupsd.log"

    @property
    def error_log(self) -> Path:
        return self.state_dir / "log" / "error_log"

    @property
    def process(self) -> ManagedProcess:
        return ManagedProcess("cupsd", self.state_dir / "run")

    def env(self) -> dict[str, str]:
        """Environment for the agent (`hm pi run`) and for CUPS command-line tools."""
        return {
            "HM_CUPS_SERVER": self.server,
            "HM_CUPS_QUEUE": self.queue,
            "CUPS_SERVER": self.server,
        }

    def admin(self, *argv: str) -> None:
        """Run a CUPS admin tool (`lpadmin`, `cupsdisable`, …) against this server."""
        result = subprocess.run(
            list(argv),
            env={**os.environ, "CUPS_SERVER": self.server},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise HmError(
                f"{' '.join(argv)} failed: {result.stderr.strip() or result.stdout.strip()}"
            )

    def stop(self) -> bool:
        """SIGTERM the recorded cupsd and wait for it. Returns whether it was running."""
        return self.process.stop()


def start(state_dir: Path, port: int | None = None, queue: str = DEFAULT_QUEUE) -> LocalCups:
    """Start (or reuse) the private cupsd under `state_dir` and make sure `queue` exists."""
    state_dir = state_dir.resolve()
    cups = LocalCups(state_dir, port or _free_port(), queue)
    if cups.process.pid() is None:
        _write_config(cups)
        cups.socket_path.unlink(missing_ok=True)
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        conf = state_dir / "etc"
        cups.process.start(
            [cupsd, "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
            cups.log_file,
        )
        wait_until(lambda: _ready(cups), "cupsd", timeout=15, log_file=cups.error_log)
    else:
        cups = LocalCups(state_dir, _recorded_port(state_dir), queue)
    cups.admin(
        "lpadmin",
        "-p",
        queue,
        "-E",
        "-v",
        f"file://{cups.output_path}",
        "-P",
        str(PPD_PATH),
        "-o",
        "media-default=Custom.2x4in",
        "-o",
        "orientation-requested-default=4",
    )
    return cups


def stop(state_dir: Path) -> bool:
    """Stop the private cupsd under `state_dir` if one runs."""
    return ManagedProcess("cupsd", state_dir.resolve() / "run").stop()


def _write_config(cups: LocalCups) -> None:
    root = cups.state_dir
    # Filters run as `lp` and must reach the spool: every folder above it must be traversable.
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    conf = root / "etc"
    spool = root / "spool"
    for folder in (conf, root / "log", root / "cache", root / "state", root / "run"):
        folder.mkdir(parents=True, exist_ok=True)
    # cupsd drops to `lp` for filters; the spool is root:lp 0710 and its tmp 1770, as cupsd checks.
    (spool / "tmp").mkdir(parents=True, exist_ok=True)
    cups.output_path.parent.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(spool, "root", "lp")
        shutil.chown(spool / "tmp", "root", "lp")
    spool.chmod(0o710)
    (spool / "tmp").chmod(0o1770)
    for name in ("raw.types", "raw.convs"):
        source = _SYSTEM_CUPS_CONFIG / name
        if source.exists():
            shutil.copyfile(source, conf / name)
    (conf / "cups-files.conf").write_text(
        "\n".join(
            [
                "FileDevice Yes",
                f"ServerRoot {conf}",
                f"RequestRoot {spool}",
                f"TempDir {spool / 'tmp'}",
                f"CacheDir {root / 'cache'}",
                f"StateDir {root / 'state'}",
                f"DataDir {_CUPS_DATA_DIR}",
                f"ServerBin {_CUPS_SERVER_BIN}",
                f"AccessLog {root / 'log' / 'access_log'}",
                f"ErrorLog {root / 'log' / 'error_log'}",
                f"PageLog {root / 'log' / 'page_log'}",
                "User lp",
                "Group lp",
                "SystemGroup root",
                "",
            ]
        )
    )
    (conf / "cupsd.conf").write_text(
        "\n".join(
            [
                f"Listen 127.0.0.1:{cups.port}",
                f"Listen {cups.socket_path}",
                "Browsing No",
                "WebInterface No",
                "DefaultAuthType None",
                "LogLevel info",
                "MaxJobs 0",
                "PreserveJobHistory Yes",
                "<Location />",
                "  Order allow,deny",
                "  Allow all",
                "</Location>",
                "<Policy default>",
                # A private test/dev server: job names and owners are visible to every client.
                "  JobPrivateAccess all",
                "  JobPrivateValues none",
                "  SubscriptionPrivateAccess all",
                "  SubscriptionPrivateValues none",
                "  <Limit All>",
                "    Order deny,allow",
                "    Allow all",
                "  </Limit>",
                "</Policy>",
                "",
            ]
        )
    )
    (root / "run" / "port").write_text(f"{cups.port}\n")


def _ready(cups: LocalCups) -> bool:
    if cups.process.pid() is None:
        log = cups.error_log.read_text(errors="replace") if cups.error_log.exists() else ""
        raise HmError(f"cupsd exited during start-up:\n{log[-2000:]}")
    return cups.socket_path.exists()


def _recorded_port(state_dir: Path) -> int:
    try:
        return int((state_dir / "run" / "port").read_text())
    except (FileNotFoundError, ValueError) as error:
        raise HmError(f"cupsd runs under {state_dir} but its port is not recorded") from error


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
