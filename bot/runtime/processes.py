"""Start, health-check and stop the product's processes as one group.

Shared by `make run`, the end-to-end tests and the benchmarks, so that all three run the product the same
way. Each child gets its own process group, so stopping it also stops anything it spawned (Sanic's worker,
TensorFlow's threads); nothing is left behind after Ctrl-C or a failed test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.runtime.data_folder import make_private
from bot.runtime.model import engine_command, engine_env
from bot.runtime.process_env import ENGINE, actions_env, app_env, pick
from bot.settings import REPO_ROOT, Settings


@dataclass
class Service:
    name: str
    argv: list[str]
    env: dict[str, str]
    health_url: str
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    # Runs once the service answers its health check; raises ServiceFailed if it is up but misconfigured.
    ready_check: Callable[[], None] | None = field(default=None, repr=False)
    # For a service that speaks no HTTP (the mail sink): True once it answers; replaces the GET of health_url.
    probe: Callable[[], bool] | None = field(default=None, repr=False)
    # What asks it to stop: PostgreSQL takes SIGTERM as "once all clients have gone", SIGINT as "now".
    stop_signal: int = signal.SIGTERM

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class ServiceFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def product_env(settings: Settings, source: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment the app (and the `bot` command) needs to rebuild the same Settings."""
    return app_env(settings, source)


def product_services(
    settings: Settings, model: Path, source: Mapping[str, str] | None = None
) -> list[Service]:
    """The engine, the action server and the app, each with only the variables on its own list (picked
    from `source`, os.environ by default): see bot.runtime.process_env. Each refuses to start on a data
    folder open to others, so whoever starts them (bot run, the tests, the benchmarks) makes it private
    first, as here."""
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    source = os.environ if source is None else source
    services = [
        engine_service(settings, model, source),
        Service(
            "actions",
            [sys.executable, "-m", "actions.server"],
            actions_env(settings, source),
            f"http://127.0.0.1:{settings.actions_port}/health",
            logs / "actions.log",
        ),
        Service(
            "app",
            [sys.executable, "-m", "bot.web"],
            app_env(settings, source),
            f"{settings.app_url}/healthz",
            logs / "app.log",
        ),
    ]
    make_private(settings.data_dir)  # last: engine_env has just made the tracker's folder
    return services


def engine_service(
    settings: Settings,
    model: Path,
    source: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    name: str = "engine",
) -> Service:
    """One engine process. Scaled mode (issue #34) runs several, each on a port of its own, sharing the
    tracker and lock stores that `settings.engine_stores` names; embedded mode runs one on engine_port."""
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    source = os.environ if source is None else source
    port = settings.engine_port if port is None else port
    stores = settings.engine_stores
    tracker: Path | str = stores.tracker_url if stores is not None else settings.engine_tracker_db
    return Service(
        name,
        [
            # Our launcher checks the data folder, then execs Rasa (bot.runtime.engine_start) through
            # engine/extensions/rasa_launch.py (skops imported first: a cheaper model load).
            sys.executable,
            "-m",
            "bot.runtime.engine_start",
            str(settings.data_dir),
            *engine_command(settings),
            "run",
            "--model",
            str(model),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        engine_env(settings) | pick(source, ENGINE),
        f"http://127.0.0.1:{port}/",
        logs / f"{name}.log",
        ready_check=lambda: check_tracker_store(tracker, logs / f"{name}.log"),
    )


def use_dev_mail_sink(settings: Settings, services: list[Service]) -> Service | None:
    """Embedded mode with no BOT_SMTP_URL: add a local mail sink (bot.notify.mail_sink) in front of the
    others and point the app at it, so urgent notices land as files in $BOT_DATA_DIR/mail. Otherwise None."""
    if not settings.dev_mode or settings.smtp is not None:
        return None
    port = settings.dev_mail_port
    (settings.data_dir / "logs").mkdir(parents=True, exist_ok=True)
    sink = Service(
        "mail",
        [sys.executable, "-m", "bot.notify.mail_sink", f"--port={port}", f"--dir={settings.dev_mail_dir}"],
        pick(os.environ, ()),  # the system basics only: it needs no setting and no secret
        f"smtp://127.0.0.1:{port}",
        settings.data_dir / "logs" / "mail.log",
        probe=lambda: smtp_answers(port),
    )
    for service in services:
        if service.name == "app" or service.name.startswith("app-"):  # scaled mode's app-1, app-2
            service.env["BOT_SMTP_URL"] = sink.health_url
    services.insert(0, sink)  # started first, stopped last: the app's last sends still land
    return sink


def smtp_answers(port: int) -> bool:
    """True when an SMTP server on 127.0.0.1:port greets us (220)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            greeting = sock.recv(512)
            sock.sendall(b"QUIT\r\n")
            return greeting.startswith(b"220")
    except OSError:
        return False


def check_tracker_store(tracker: Path | str, log_path: Path) -> None:
    """Refuse to run on Rasa's silent fallback: if it cannot import the tracker store endpoints.yml names,
    it logs a warning and keeps every conversation in memory only. Our store creates its table at start.
    `tracker` is the SQLite file, or the engine's database URL (scaled mode, issue #34)."""
    if isinstance(tracker, str) and tracker.startswith("sqlite:///"):
        tracker = Path(tracker.removeprefix("sqlite:///"))
    if isinstance(tracker, Path):
        try:
            with contextlib.closing(sqlite3.connect(f"file:{tracker}?mode=ro", uri=True)) as db:
                tables = {
                    name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
        except sqlite3.Error:
            tables = set()
        where = str(tracker)
    else:
        tables = server_tables(tracker)
        where = "the engine's tracker database"  # its URL holds a password: not in a message
    if "tracker_checkpoints" not in tables:
        raise ServiceFailed(
            f"the engine is not using the checkpointed tracker store (no tracker_checkpoints table in "
            f"{where}); check endpoints.yml and PYTHONPATH, and see {log_path}"
        )


def server_tables(url: str) -> set[str]:
    """The tables of the engine's PostgreSQL tracker database, read with our own driver (psycopg 3): the
    engine's URL names its driver (psycopg2, SQLAlchemy 1.4), which our environment does not have."""
    import sqlalchemy as sa

    ours = sa.make_url(url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(ours)
    try:
        return set(sa.inspect(engine).get_table_names())
    except sa.exc.SQLAlchemyError:
        return set()
    finally:
        engine.dispose()


def start(service: Service) -> None:
    # Created private whatever our umask: the process it logs for refuses a data folder open to others.
    log = os.fdopen(os.open(service.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
    service.process = subprocess.Popen(  # noqa: S603  # each service's argv is built by bot.runtime
        service.argv,
        cwd=REPO_ROOT,
        env=service.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # health URLs are http://127.0.0.1
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(services: list[Service], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending:
        for service in list(pending):
            if service.process is None:  # start() sets it; explicit, as `python -O` strips asserts
                raise AssertionError(f"unreachable: {service.name} was never started")
            if service.process.poll() is not None:
                raise ServiceFailed(
                    f"{service.name} exited with code {service.process.returncode}; "
                    f"last lines of {service.log_path}:\n{service.log_tail()}"
                )
            if service.probe() if service.probe is not None else is_healthy(service.health_url):
                if service.ready_check is not None:
                    service.ready_check()
                pending.remove(service)
        if pending and time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise ServiceFailed(f"not healthy after {timeout:.0f} s: {names}\n{pending[0].log_tail()}")
        if pending:
            time.sleep(0.25)


def reap_group(service: Service) -> None:
    """Kill whatever is left of an exited service's process group (a worker it spawned may outlive it and
    hold its port). Only for a service whose own process has exited."""
    process = service.process
    if process is None or process.poll() is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop(service: Service, grace: float = 10.0) -> None:
    process = service.process
    if process is None:
        return
    if process.poll() is not None:
        reap_group(service)
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, service.stop_signal)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def running(services: list[Service], timeout: float = 180.0) -> Iterator[list[Service]]:
    """Start every service, wait until all are healthy, and always stop them all afterwards."""
    try:
        for service in services:
            start(service)
        wait_healthy(services, timeout)
        yield services
    finally:
        for service in reversed(services):
            stop(service)
