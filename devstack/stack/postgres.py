"""The private PostgreSQL 15 cluster: initdb, start, stop, and the Supabase platform layer."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from devstack.stack.config import PLATFORM_SQL_DIR, POSTGRES_BIN, StackConfig
from devstack.stack.ports import refuse_port_in_use
from devstack.stack.processes import ManagedProcess, is_alive, wait_until
from hm.errors import HmError

SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "wal_level": "logical",
    "max_replication_slots": "10",
    "max_wal_senders": "10",
    "fsync": "off",
    "synchronous_commit": "off",
    # Logical decoding (Realtime) only sees flushed WAL; with asynchronous commits the WAL writer
    # flushes every wal_writer_delay (200 ms by default), which would delay every change pushed.
    "wal_writer_delay": "10ms",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "256MB",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
}


# The cluster's only superuser, as on hosted Supabase. `postgres`, the role migrations and
# developers use, is created by sql/platform/00-roles.sql without superuser rights.
SUPERUSER = "supabase_admin"
# Hosted databases sort text as en_US.UTF-8, so ORDER BY in tests means what it means there.
CLUSTER_LOCALE = "en_US.UTF-8"

# Logical decoding for Realtime: from 15.20 (a security release) Postgres loads only the output
# plugins listed here, so wal2json must be named. Older 15.x minors do not know the setting at all
# and refuse to start when it is passed ("unrecognized configuration parameter"), while they load
# any plugin. So it is passed only to a server that reports it knows it.
PLUGIN_ALLOWLIST_SETTING = "output_plugin_libraries"
PLUGIN_ALLOWLIST = "pgoutput,test_decoding,wal2json"


def known_setting_names(postgres_bin: Path = POSTGRES_BIN) -> frozenset[str]:
    """The configuration parameters this server binary knows (`postgres --describe-config`,
    which needs no data directory: one tab-separated line per setting, its name first)."""
    result = subprocess.run(
        [str(postgres_bin / "postgres"), "--describe-config"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise HmError(f"`postgres --describe-config` failed:\n{result.stderr}")
    return frozenset(line.split("\t", 1)[0] for line in result.stdout.splitlines() if line)


def server_settings(known_names: frozenset[str]) -> dict[str, str]:
    """The `-c` settings to start a server that knows `known_names` with."""
    settings = dict(SERVER_SETTINGS)
    if PLUGIN_ALLOWLIST_SETTING in known_names:
        settings[PLUGIN_ALLOWLIST_SETTING] = PLUGIN_ALLOWLIST
    return settings


def _as_postgres(argv: list[str]) -> list[str]:
    """Postgres refuses to run as root: drop to the `postgres` OS user when we are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _own_for_postgres(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700 if path.name == "db" else 0o755)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


@dataclass(frozen=True)
class OutdatedPlatformCheck:
    """A query answering true on a cluster made before the platform layer matched hosted in
    one respect, and that respect in words."""

    what: str
    query: str


OUTDATED_PLATFORM_CHECKS = (
    # Under a superuser `postgres` a migration needing superuser would still pass here.
    OutdatedPlatformCheck(
        "hosted-like permissions (its `postgres` role is a superuser, hosted's is not)",
        "select rolsuper from pg_roles where rolname = 'postgres'",
    ),
    # Without them every /auth/v1/user would answer a server error.
    OutdatedPlatformCheck(
        "two-factor sign-in (it has no auth.mfa_factors)",
        "select to_regclass('auth.mfa_factors') is null",
    ),
    # Owned by `postgres`, the Storage tables accept DDL a hosted project refuses.
    OutdatedPlatformCheck(
        "hosted-like Storage ownership (`postgres` owns storage.objects; hosted's"
        " supabase_storage_admin does)",
        "select tableowner <> 'supabase_storage_admin' from pg_tables"
        " where schemaname = 'storage' and tablename = 'objects'",
    ),
)


class PostgresCluster:
    """One private cluster under the stack's state folder, on its own port."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.process = ManagedProcess("postgres", config.run_dir)
        self.log_file = config.log_dir / "postgres.log"

    @property
    def initialised(self) -> bool:
        return (self.config.db_dir / "PG_VERSION").exists()

    def init(self) -> None:
        """Create the cluster if it does not exist yet."""
        if self.initialised:
            return
        home = self.config.db_dir.parent
        home.mkdir(parents=True, exist_ok=True)
        home.chmod(0o755)
        _own_for_postgres(self.config.db_dir)
        _own_for_postgres(self.config.socket_dir)
        result = subprocess.run(
            _as_postgres(
                [
                    str(POSTGRES_BIN / "initdb"),
                    "-D",
                    str(self.config.db_dir),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    f"--locale={CLUSTER_LOCALE}",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            hint = (
                f"\nThe cluster sorts text as hosted Supabase does ({CLUSTER_LOCALE}); run"
                " ./scripts/install, which generates that locale."
                if "locale" in result.stderr
                else ""
            )
            raise HmError(f"initdb failed:\n{result.stdout}{result.stderr}{hint}")

    def start(self) -> int:
        """Start the server (idempotent) and return the postmaster's pid."""
        running = self.process.pid()
        if running is not None:
            return running
        refuse_port_in_use(self.config.db_port, "PostgreSQL", "HM_DB_PORT")
        self.init()
        _own_for_postgres(self.config.socket_dir)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        settings = server_settings(known_setting_names())
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        options += f" -p {self.config.db_port} -k {self.config.socket_dir}"
        # The server writes its own log, so it goes in a folder the postgres user owns.
        postgres_log = self.config.db_dir.parent / "log" / "postgres.log"
        _own_for_postgres(postgres_log.parent)
        result = subprocess.run(
            _as_postgres(
                [
                    str(POSTGRES_BIN / "pg_ctl"),
                    "-D",
                    str(self.config.db_dir),
                    "-l",
                    str(postgres_log),
                    "-w",
                    "-t",
                    "30",
                    "-o",
                    options,
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = postgres_log.read_text(errors="replace") if postgres_log.exists() else ""
            raise HmError(
                f"PostgreSQL did not start:\n{result.stdout}{result.stderr}\n{log[-2000:]}"
            )
        self._link_log(postgres_log)
        pid = int((self.config.db_dir / "postmaster.pid").read_text().split()[0])
        self.process.record(pid)
        wait_until(self.accepts_connections, "PostgreSQL", log_file=postgres_log)
        return pid

    def _link_log(self, postgres_log: Path) -> None:
        if not self.log_file.is_symlink():
            self.log_file.symlink_to(postgres_log)

    def stop(self) -> bool:
        """Fast shutdown of the recorded postmaster (SIGINT), like `pg_ctl stop -m fast`."""
        return self.process.stop(signal.SIGINT, timeout=30)

    def running(self) -> bool:
        pid = self.process.pid()
        return pid is not None and is_alive(pid)

    def accepts_connections(self) -> bool:
        try:
            with psycopg.connect(self.config.db_url(SUPERUSER), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def destroy(self) -> None:
        """Stop the server and delete its data."""
        self.stop()
        shutil.rmtree(self.config.db_dir, ignore_errors=True)

    def has_platform(self) -> bool:
        with psycopg.connect(self.config.db_url(SUPERUSER)) as conn:
            row = conn.execute("select to_regclass('auth.users') is not null").fetchone()
        return bool(row and row[0])

    def _refuse_outdated_platform(self) -> None:
        """A cluster made by an older version of the platform layer differs from hosted in ways
        a migration or a client would trip over later: name the first difference and the way out."""
        with psycopg.connect(self.config.db_url(SUPERUSER)) as conn:
            for check in OUTDATED_PLATFORM_CHECKS:
                row = conn.execute(check.query).fetchone()
                if row and row[0]:
                    raise HmError(
                        f"This local database predates {check.what}. Recreate it with"
                        " `hm stack reset` (local data is lost; the seed is reloaded)."
                    )

    def apply_platform(self) -> None:
        """Apply `sql/platform/*.sql` once: the parts of a Supabase database that a bare
        Postgres lacks. Never applied to a hosted project, which has them already."""
        if self.has_platform():
            self._refuse_outdated_platform()
            return
        with psycopg.connect(self.config.db_url(SUPERUSER), autocommit=False) as conn:
            for sql_file in sorted(PLATFORM_SQL_DIR.glob("*.sql")):
                try:
                    conn.execute(sql_file.read_text().encode())
                except psycopg.Error as error:
                    raise HmError(f"{sql_file.name}: {error}") from error
            conn.commit()
