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
            time.sleep(0.2)
    pytest.fail("the app did not become healthy")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serves_and_stops_cleanly(tmp_path: Path, stop_signal: signal.Signals) -> None:
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
    assert (tmp_path / "data" / "store.db").exists()  # the schema was brought up to date at start
