"""The servers scaled mode (`bot run --scaled`, issue #34) runs beside the product's own processes.

A private PostgreSQL cluster (initdb once in the data folder, kept between runs; under root, where the server
must run as the `postgres` account and cannot enter a data folder private to root, a throwaway folder that
is deleted on stop), a private Redis (no persistence: sessions, limits and locks only) and HAProxy, whose
configuration is filled in from deploy/haproxy/run-scaled.cfg.template. Each is a processes.Service in the
foreground, so `bot run`'s keeper restarts it like any other and Ctrl-C stops it with the rest.
"""

from __future__ import annotations

import csv
import io
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.runtime.process_env import pick
from bot.runtime.processes import Service, ServiceFailed
from bot.settings import REPO_ROOT

TEMPLATE = REPO_ROOT / "deploy" / "haproxy" / "run-scaled.cfg.template"
SUPERUSER = "store"
# Loopback only, no Unix socket; the rest is PostgreSQL's default (durable: a developer's data is kept).
SERVER_OPTIONS = ("listen_addresses=127.0.0.1", "unix_socket_directories=", "max_connections=200")


class ScaledSetupFailed(RuntimeError):
    """A server scaled mode needs is missing or could not be set up; the message says what to do."""


def binary(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        raise ScaledSetupFailed(f"{name} not found: run tools/system-deps.sh (apt-get install {package})")
    return found


def postgres_binaries() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise ScaledSetupFailed("PostgreSQL's initdb not found: run tools/system-deps.sh (postgresql)")
    return versions[-1].parent


@dataclass(frozen=True)
class Cluster:
    folder: Path
    password: str
    user: str | None  # the account the server runs as (root cannot run it), None for ourselves
    throwaway: bool

    def url(self, port: int, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{SUPERUSER}:{self.password}@127.0.0.1:{port}/{database}"


def prepare_cluster(data_dir: Path) -> Cluster:
    """initdb once (SCRAM, a random password kept in the data folder's secrets); the cluster to run."""
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise ScaledSetupFailed("running as root, and no 'postgres' account to run it as") from None
        folder = Path(tempfile.mkdtemp(prefix="bot-scaled-postgres-"))
        os.chown(folder, account.pw_uid, account.pw_gid)
        return _initdb(Cluster(folder, secrets.token_urlsafe(24), "postgres", True))
    folder = data_dir / "scaled" / "postgres"
    password_path = data_dir / "secrets" / "scaled-postgres-password"
    if (folder / "data" / "PG_VERSION").exists() and password_path.exists():
        return Cluster(folder, password_path.read_text().strip(), None, False)
    folder.mkdir(parents=True, exist_ok=True)
    cluster = _initdb(Cluster(folder, secrets.token_urlsafe(24), None, False))
    password_path.parent.mkdir(parents=True, exist_ok=True)
    password_path.touch(mode=0o600)
    password_path.write_text(cluster.password + "\n")
    return cluster


def _initdb(cluster: Cluster) -> Cluster:
    password_file = cluster.folder / "password"
    password_file.touch(mode=0o600)
    password_file.write_text(cluster.password + "\n")
    if cluster.user is not None:
        os.chown(password_file, pwd.getpwnam(cluster.user).pw_uid, -1)
    try:
        subprocess.run(  # noqa: S603  # initdb from the machine's PostgreSQL
            [str(postgres_binaries() / "initdb"), "-D", str(cluster.folder / "data"), "-U", SUPERUSER,
             "--auth=scram-sha-256", f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True, text=True, user=cluster.user, cwd=cluster.folder,
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise ScaledSetupFailed(f"initdb failed: {error.stderr.strip()[-1000:]}") from None
    finally:
        password_file.unlink(missing_ok=True)
    return cluster


def postgres_service(cluster: Cluster, port: int, logs: Path) -> Service:
    """The server, through bot.runtime.postgres_follow: an operator's `pg_ctl restart` of the cluster starts
    a server outside our process group, which that process follows rather than the keeper fighting it."""
    options = [item for option in (f"port={port}", *SERVER_OPTIONS) for item in ("-c", option)]
    data = str(cluster.folder / "data")
    run_as = ["--user", cluster.user] if cluster.user is not None else []
    server = [str(postgres_binaries() / "postgres"), "-D", data, *options]
    return Service(
        "postgresql",
        [sys.executable, "-m", "bot.runtime.postgres_follow", "--data", data, *run_as, "--", *server],
        pick(os.environ, ()),
        f"postgresql://127.0.0.1:{port}",
        logs / "postgresql.log",
        probe=lambda: postgres_answers(cluster, port),
        stop_signal=signal.SIGINT,  # fast shutdown: this process's own pooled connections would hold it up
    )


def postgres_answers(cluster: Cluster, port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(
            host="127.0.0.1", port=port, user=SUPERUSER, password=cluster.password, dbname="postgres",
            connect_timeout=2,
        ):  # fmt: skip
            return True
    except psycopg.Error:
        return False


def ensure_databases(cluster: Cluster, port: int, names: tuple[str, ...]) -> None:
    """Create each database that is not there yet (the store's and the engines' tracker)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host="127.0.0.1", port=port, user=SUPERUSER, password=cluster.password, dbname="postgres",
        autocommit=True,
    ) as connection:  # fmt: skip
        have = {row[0] for row in connection.execute("SELECT datname FROM pg_database")}
        for name in names:
            if name not in have:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_service(port: int, folder: Path, logs: Path, password: str) -> Service:
    """Redis asking every client for `password`. It is given in a private configuration file, never on the
    command line, where `ps` would show it to every account on the machine."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "redis.conf"
    config.unlink(missing_ok=True)
    with os.fdopen(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
        handle.write(f'requirepass "{password}"\n')  # our own token: URL-safe, nothing to escape
    argv = [binary("redis-server", "redis-server"), str(config), "--bind", "127.0.0.1", "--port", str(port),
            "--dir", str(folder), "--save", "", "--appendonly", "no", "--protected-mode", "yes"]  # fmt: skip
    return Service(
        "redis", argv, pick(os.environ, ()), f"redis://127.0.0.1:{port}", logs / "redis.log",
        probe=lambda: redis_answers(port, password),
    )  # fmt: skip


def redis_answers(port: int, password: str) -> bool:
    """Signed in with `password`, the server answers PING (the commands in RESP, as any client sends them)."""
    commands = b"".join(
        b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words)
        for words in ((b"AUTH", password.encode()), (b"PING",))
    )
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(commands)
            reply = sock.makefile("rb")
            return reply.readline().startswith(b"+OK") and reply.readline().startswith(b"+PONG")
    except OSError:
        return False


def haproxy_config(front: dict[str, int], backends: dict[str, list[tuple[str, int]]]) -> str:
    """The template filled in: `front` the app, engine, actions and stats ports; `backends` each group's
    (name, port) servers, health-checked every 2 s so a dead one is passed over until it answers again."""
    filled = {
        f"{group}_servers": "\n".join(
            f"    server {name} 127.0.0.1:{port} check inter 2s fall 2 rise 1" for name, port in servers
        )
        for group, servers in backends.items()
    }
    return Template(TEMPLATE.read_text()).substitute({f"{k}_port": str(v) for k, v in front.items()} | filled)


def haproxy_service(config: str, folder: Path, stats_port: int, logs: Path) -> Service:
    path = folder / "haproxy.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config)
    checked = subprocess.run(  # noqa: S603  # a configuration we just wrote
        [binary("haproxy", "haproxy"), "-c", "-q", "-f", str(path)], capture_output=True, text=True
    )
    if checked.returncode != 0:
        raise ScaledSetupFailed(f"HAProxy refused {path}: {(checked.stdout + checked.stderr).strip()}")
    return Service(
        "haproxy",
        [binary("haproxy", "haproxy"), "-db", "-f", str(path)],
        pick(os.environ, ()),
        f"http://127.0.0.1:{stats_port}/healthz",
        logs / "haproxy.log",
    )


def wait_every_server_up(stats_port: int, timeout: float = 30.0) -> None:
    """Before "ready": HAProxy has marked every server behind it UP. HAProxy starts with the other processes,
    so its first checks find them still loading and mark them DOWN; it marks one UP again only at its next
    check (every 2 s). Saying "ready" before that let the first message meet "no server available" (503)."""
    deadline = time.monotonic() + timeout
    while not every_server_up(stats_port):
        if time.monotonic() > deadline:
            raise ServiceFailed(f"HAProxy has not marked every server up after {timeout:.0f} s")
        time.sleep(0.25)


def every_server_up(stats_port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{stats_port}/stats;csv", timeout=2
        ) as response:  # loopback
            text = response.read().decode().lstrip("# ")
    except (urllib.error.URLError, OSError):
        return False
    rows = [row for row in csv.DictReader(io.StringIO(text)) if row["svname"] not in ("FRONTEND", "BACKEND")]
    return bool(rows) and all(row["status"].startswith("UP") for row in rows)


def python_service(name: str, module: str, env: dict[str, str], health: str, logs: Path) -> Service:
    return Service(name, [sys.executable, "-m", module], env, health, logs / f"{name}.log")
