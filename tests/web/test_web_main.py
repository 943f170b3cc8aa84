"""`python -m bot.web` serves on 127.0.0.1 and stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.settings import REPO_ROOT
from bot.store import db
from tests.fixtures.databases import MigratedSqlite, sqlite_url

# Long enough for a slow machine to start the app; only ever a limit on waiting, never a measurement.
START_DEADLINE_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited early: {process.communicate()[1]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)  # a local socket: a short poll, the deadline is the limit
    pytest.fail("the app did not become healthy")


@pytest.mark.parametrize(
    ("stop_signal", "store_made"),
    [(signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["SIGTERM-new-store", "SIGINT-migrated-store"],
)
def test_serves_and_stops_cleanly(
    tmp_path: Path, stop_signal: signal.Signals, store_made: bool, migrated_sqlite: MigratedSqlite
) -> None:
    """Either signal stops the app cleanly. Started on a data folder with no store, it migrates one at start
    (development does: bot.runtime.schema_gate); the other start is given a copy of the session's migrated
    store, as the migration does not depend on the signal and costs seconds of a new process's time."""
    store = tmp_path / "data" / "store.db"
    if store_made:
        store.parent.mkdir(mode=0o700)
        migrated_sqlite(store)
        store.chmod(0o600)  # private, or the app refuses the folder (issue #30)
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("BOT_")}
    env.update({"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_APP_PORT": str(port)})
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.web"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_healthy(process, port)
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=START_DEADLINE_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "database is at the latest migration" in stderr  # the schema was brought up to date at start
    assert db.current_revision(sqlite_url(store)) == db.head_revision()
