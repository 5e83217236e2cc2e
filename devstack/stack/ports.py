"""Refuse to start a server on a port something else holds, naming who holds it.

The dev ports (Supabase's 54321/54322, ours from 54340) lie in Linux's ephemeral range
(32768 to 60999), so besides another server, any outgoing connection on a busy machine can hold one
for a while. Starting anyway ends in a server that dies at once and a "did not become ready"
timeout far from the cause; like `supabase start`'s "port is already allocated", `hm` says which
port, which process, and which setting moves it."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from hm.errors import HmError

_PROC = Path("/proc")


def refuse_port_in_use(port: int, what: str, setting: str) -> None:
    """Raise `HmError` when 127.0.0.1:`port` cannot be bound for `what` (moved by `setting`)."""
    with socket.socket() as probe:
        # As the servers bind: a connection of an earlier run still in TIME_WAIT does not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise HmError(
                f"port {port}, which {what} listens on, is in use by {port_holder(port)}. "
                f"Stop that process, or set {setting} to a free port."
            ) from error


def port_holder(port: int) -> str:
    """Who holds a local TCP port: "pid N (command line)" when /proc tells, else why not."""
    inodes = _socket_inodes(port)
    for proc in _PROC.iterdir():
        if not proc.name.isdigit():
            continue
        if any(_fd_target(fd) in inodes for fd in _fds(proc)):
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                command = ""  # it exited meanwhile
            return f"pid {proc.name} ({command or proc.name})"
    if inodes:
        return "a process this user cannot inspect"
    return "a connection of another process (Linux lends these ports to outgoing connections)"


def _fds(proc: Path) -> list[Path]:
    try:
        return list((proc / "fd").iterdir())
    except OSError:
        return []  # gone meanwhile, or not ours to read


def _fd_target(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""  # closed meanwhile (the listing's own descriptor, for one)


def _socket_inodes(port: int) -> set[str]:
    """`socket:[inode]` of every TCP socket bound to `port` locally (IPv4 and IPv6)."""
    found = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (_PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[9] != "0":
                found.add(f"socket:[{fields[9]}]")
    return found
