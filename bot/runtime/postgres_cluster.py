"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary folder, loopback only.

Production runs on PostgreSQL, so the store's tests and the review benchmark need a real server, not a
fake; but nobody should have to install, configure or share one. This starts a private cluster from the
machine's PostgreSQL server binaries (Debian's `postgresql` package), listening on 127.0.0.1 only (no
Unix socket, no other address) on a free port, with a random password (SCRAM) so other local users cannot
connect to it, and with durability switched off (`fsync`, `synchronous_commit`, `full_page_writes`) because
nothing in it needs to survive. `stop()` shuts it down and deletes the folder; the context manager always
calls it, whatever happens in between. If the owning process dies without running it (SIGKILL, a SIGTERM
nobody handles), a small watchdog started with the server notices within a second, stops the server and
deletes the folder, so no server outlives the run that started it.

PostgreSQL refuses to run as root, so under root the server runs as the `postgres` system account (Debian's
package creates it), and the folder is handed to that account.

    with PostgresCluster() as cluster:
        cluster.create_database("store")
        url = cluster.url("store")       # postgresql+psycopg://store:...@127.0.0.1:PORT/store
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

SUPERUSER = "store"
MAINTENANCE_DB = "postgres"
START_TIMEOUT_SECONDS = 120
PORT_ATTEMPTS = 3
SERVER_OPTIONS = (
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",  # TCP on loopback only: no socket file anywhere
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=100",
)


# Run by `sh` in its own session (so a signal to the test run's process group does not reach it first):
# waits for the owner to go, then stops the server the way `pg_ctl stop -m immediate` does, and tidies up.
WATCHDOG = """
owner=$1 folder=$2
while kill -0 "$owner" 2>/dev/null; do sleep 1; done
pid=$(head -n 1 "$folder/data/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "$folder/data/postmaster.pid" ] || break; sleep 0.5; done
rm -rf "$folder"
"""


class ClusterError(RuntimeError):
    """The server could not be set up; the message says what to install or where its log is."""


def server_binaries() -> Path:
    """The folder holding initdb and pg_ctl: from PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not versions:
        raise ClusterError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them "
            "(Debian: apt-get install postgresql, or run tools/system-deps.sh)"
        )
    return versions[-1].parent


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One private server. Not reusable: make a new one after `stop()`."""

    def __init__(
        self, *, prefix: str = "pg-cluster-", binaries: Path | None = None, locale: str = "C"
    ) -> None:
        """`locale` sets the cluster's collation: "C" (fast, bytewise) for tests; a benchmark that wants
        production's behaviour (where `LIKE 'x%'` cannot use a plain index) passes e.g. "C.UTF-8"."""
        self._prefix = prefix
        self._locale = locale
        self._binaries = binaries
        self._password = secrets.token_urlsafe(24)
        self._folder: Path | None = None
        self._user: str | None = None
        self._running = False
        self._watchdog: subprocess.Popen[bytes] | None = None
        self.port = 0

    # -- life cycle --------------------------------------------------------------------------------------

    def __enter__(self) -> PostgresCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def folder(self) -> Path:
        if self._folder is None:
            raise ClusterError("the cluster has not been started")
        return self._folder

    @property
    def version(self) -> str:
        with self._connect(MAINTENANCE_DB) as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "unknown"

    @property
    def server_pid(self) -> int:
        """The postmaster's process id (its children are the server's other processes)."""
        return int((self.folder / "data" / "postmaster.pid").read_text().split()[0])

    def start(self) -> None:
        if self._folder is not None:
            raise ClusterError("this cluster was already started; make a new PostgresCluster")
        binaries = self._binaries or server_binaries()
        # Not under pytest's tmp folders: those are 0700 and owned by root, out of reach of `postgres`.
        self._folder = Path(tempfile.mkdtemp(prefix=self._prefix))
        if os.geteuid() == 0:
            self._user = "postgres"
            try:
                entry = pwd.getpwnam(self._user)
            except KeyError:
                raise ClusterError(
                    "running as root and there is no 'postgres' account to run the server as"
                ) from None
            os.chown(self._folder, entry.pw_uid, entry.pw_gid)
        self._watchdog = subprocess.Popen(
            ["sh", "-c", WATCHDOG, "postgres-watchdog", str(os.getpid()), str(self._folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        password_file = self._folder / "password"
        password_file.write_text(self._password + "\n")
        password_file.chmod(0o600)
        if self._user is not None:
            os.chown(password_file, pwd.getpwnam(self._user).pw_uid, -1)
        data = self._folder / "data"
        self._run(
            binaries / "initdb",
            "-D", str(data),
            "-U", SUPERUSER,
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "-E", "UTF8",
            f"--locale={self._locale}",
            "--no-sync",
        )  # fmt: skip
        password_file.unlink()
        log = self._folder / "server.log"
        for attempt in range(1, PORT_ATTEMPTS + 1):
            # Another process may take the free port before the server binds it (5 workers share this
            # machine): then try another one.
            self.port = free_loopback_port()
            options = " ".join(f"-c {option}" for option in (f"port={self.port}", *SERVER_OPTIONS))
            try:
                self._run(binaries / "pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
                break
            except ClusterError as error:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
                if attempt == PORT_ATTEMPTS or "could not bind" not in tail:
                    raise ClusterError(f"{error}\nserver log:\n{tail}") from None
        self._running = True

    def stop(self) -> None:
        """Stop the server (fast: nothing in it is kept) and delete its folder. Safe to call twice."""
        folder, self._folder = self._folder, None
        if folder is None:
            return
        if self._watchdog is not None:
            self._watchdog.kill()  # it only ever acts once we are gone; we are tidying up ourselves
            self._watchdog.wait()
            self._watchdog = None
        try:
            if self._running:
                binaries = self._binaries or server_binaries()
                self._run(binaries / "pg_ctl", "-D", str(folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            self._running = False
            shutil.rmtree(folder, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------------------------

    def url(self, database: str) -> str:
        """A SQLAlchemy URL (psycopg 3 driver) for `database` on this server."""
        return f"postgresql+psycopg://{SUPERUSER}:{self._password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create `name` (empty, or a copy of `template`, which must have no open connections); its URL."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        self._maintenance(statement)
        return self.url(name)

    def drop_database(self, name: str, *, force: bool = False) -> None:
        """Drop `name`. Without `force`, an open connection to it is an error (psycopg.errors.ObjectInUse),
        which is how a test that forgot to dispose of an engine gets noticed."""
        statement = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        if force:
            statement = sql.SQL("{} WITH (FORCE)").format(statement)
        self._maintenance(statement)

    def connections_to(self, name: str) -> int:
        with self._connect(MAINTENANCE_DB) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchone()
        return int(row[0]) if row else 0

    # -- plumbing ----------------------------------------------------------------------------------------

    def _maintenance(self, statement: sql.Composable) -> None:
        with self._connect(MAINTENANCE_DB) as connection:
            connection.execute(statement)

    def _connect(self, database: str) -> psycopg.Connection:
        if not self._running:
            raise ClusterError("the cluster is not running")
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self._password,
            dbname=database,
            autocommit=True,  # CREATE/DROP DATABASE cannot run inside a transaction
            connect_timeout=10,
        )

    def _run(self, *argv: str | Path) -> None:
        try:
            subprocess.run(
                [str(arg) for arg in argv],
                check=True,
                capture_output=True,
                text=True,
                user=self._user,
                cwd=self._folder,
                timeout=START_TIMEOUT_SECONDS,
            )
        except subprocess.CalledProcessError as error:
            raise ClusterError(
                f"{Path(str(argv[0])).name} failed ({error.returncode}): {error.stderr.strip()[-2000:]}"
            ) from None
        except subprocess.TimeoutExpired:
            raise ClusterError(f"{Path(str(argv[0])).name} took over {START_TIMEOUT_SECONDS} s") from None
