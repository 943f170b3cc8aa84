"""`bot run --scaled` started by a test (issue #34): the `scaled` fixture and what its tests share.

The fixture starts the command on free loopback ports with a data folder of its own, waits for its "ready"
summary, and yields where everything is. Afterwards Ctrl-C (SIGINT, as a terminal sends it) must stop all
it started: no process of it, no port left listening. Used by tests/e2e/test_run_scaled.py and
tests/e2e/test_run_scaled_faults.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.runtime.processes import free_port
from bot.settings import REPO_ROOT
from tests.e2e.test_bot_run_restarts import BOT, PORTS, alive, children, listening, wait_for
from tests.e2e.test_bot_run_restarts import dev_password as bot_run_password
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

READY = "Press Ctrl-C to stop them all."


@dataclass
class Scaled:
    env: dict[str, str]  # the `bot` commands' environment, with the private cluster's store URL
    app_url: str  # HAProxy's front door
    app_ports: list[str]  # each app process's own port
    stats_url: str
    summary: str
    output: Path  # what `bot run --scaled` prints
    pid: int

    def served(self) -> dict[str, int]:
        """Requests each server behind HAProxy has been sent (its CSV statistics, `stot` per server)."""
        with urllib.request.urlopen(f"{self.stats_url};csv", timeout=10) as response:  # loopback
            text = response.read().decode().lstrip("# ")
        return {
            row["svname"]: int(row["stot"])
            for row in csv.DictReader(io.StringIO(text))
            if row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def bot(self, *args: str, stdin: str | None = None) -> str:
        """A `bot` command run beside the product, on its store; its standard output."""
        result = subprocess.run(
            [str(BOT), *args], env=self.env, input=stdin, capture_output=True, text=True, check=False,
            cwd=REPO_ROOT,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def export(self, reference: str) -> dict[str, Any]:
        return json.loads(self.bot("assessments", "export", f"--id={reference}"))

    def log_says(self, text: str, timeout: float) -> None:
        """Wait until the command's own output says `text` (it stops the wait if the command has ended)."""
        wait_for(self.output, text, Running(self.pid), timeout)


@pytest.fixture(name="scaled")  # named apart from its test's parameter: importing it shadows nothing
def scaled_product(tmp_path: Path) -> Iterator[Scaled]:
    keep = ("BOT_PASSWORD_HASHING", "BOT_SQLITE_DURABILITY", "BOT_DATA_KEYS")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") or k in keep} | {
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_MODELS_DIR": str(REPO_ROOT / "var" / "models"),
        **{name: str(free_port()) for name in PORTS},
    }
    output = tmp_path / "bot-run-scaled.out"
    with output.open("wb") as out:
        run = subprocess.Popen(
            [str(BOT), "run", "--scaled"], env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=REPO_ROOT,
        )  # fmt: skip
    started: dict[int, str] = {}
    ports: list[str] = []
    try:
        wait_for(output, READY, run, 900)
        summary = output.read_text()
        started = children(run.pid)
        postgres = re.search(r"PostgreSQL: +127\.0\.0\.1:(\d+)", summary)
        stats = re.search(r"stats at (http://127\.0\.0\.1:\d+/stats)", summary)
        apps = re.search(r"apps: +127\.0\.0\.1:(\d+), 127\.0\.0\.1:(\d+)", summary)
        assert postgres and stats and apps, summary
        ports = [*apps.groups(), postgres.group(1)]
        password = (tmp_path / "data" / "secrets" / "scaled-postgres-password").read_text().strip()
        store = f"postgresql+psycopg://store:{password}@127.0.0.1:{postgres.group(1)}/store"
        yield Scaled(
            env | {"BOT_DATABASE_URL": store},
            f"http://127.0.0.1:{env['BOT_APP_PORT']}",
            list(apps.groups()),
            stats.group(1),
            summary,
            output,
            run.pid,
        )
    finally:
        if run.poll() is None:
            run.send_signal(signal.SIGINT)  # Ctrl-C
        code = run.wait(timeout=180)
    log = output.read_text(errors="replace")
    assert code == 0, log[-3000:]
    assert "stopped" in log.splitlines()[-1]
    assert [command for pid, command in started.items() if alive(pid)] == []
    for port in (*(env[name] for name in PORTS), *ports):
        assert not listening(port), f"something still listens on {port}"


def dev_password(scaled: Scaled, username: str) -> str:
    return bot_run_password(scaled.env, username)


async def signed_in(client: aiohttp.ClientSession, username: str, password: str) -> WebPractitioner:
    assert (await sign_in(client, username, password)).status == 303  # type: ignore[arg-type]
    return WebPractitioner(client)


def assert_stored_once_verbatim(scaled: Scaled, reference: str, typed: list[str]) -> dict[str, Any]:
    """Every answer typed in `reference` is in its export once, byte for byte, and no question's answer was
    stored twice (a second revision). The export, for further checks."""
    exported = scaled.export(reference)
    assert typed, f"the walk of {reference} typed no answer"
    stored = [revision["text"] for answer in exported["answers"] for revision in answer["revisions"]]
    for text in typed:
        assert stored.count(text) == 1, f"{text!r} stored {stored.count(text)} times"
    for answer in exported["answers"]:
        assert len(answer["revisions"]) == 1, f"{answer['question_id']} stored more than once"
    return exported


class Running:
    """What tests.e2e.test_bot_run_restarts.wait_for polls: `bot run --scaled`, which is not our child here
    but the fixture's (its Popen), so its liveness is read from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        return None if alive(self.pid) else 1
