"""`bot run --scaled` (`make run-scaled`, issue #34): the product as two apps, two engines and two action
servers behind HAProxy, on a private PostgreSQL and Redis, all started by the command itself.

A practitioner signs in and walks a whole screening through BOT_APP_PORT (HAProxy, round-robin, not sticky)
with the pages' own forms. Every typed answer must be stored once, verbatim, and HAProxy's statistics must
show that both apps, both engines and both action servers served requests. The session begun there is
valid on each app's own port. Killing an engine and an app with SIGKILL mid-conversation loses nothing: the
command starts them again, HAProxy passes over them meanwhile, and the walk carries on at the question it
had reached. Ctrl-C (SIGINT, as a terminal sends it) then stops everything the command
started: no process of it, no port left listening.
"""

from __future__ import annotations

import asyncio
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
from tests.e2e.test_bot_run_restarts import (
    BOT,
    PORTS,
    alive,
    children,
    dev_password,
    listening,
    wait_for,
)
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

    def export(self, reference: str) -> dict[str, Any]:
        result = subprocess.run(
            [str(BOT), "assessments", "export", f"--id={reference}"],
            env=self.env, capture_output=True, text=True, check=False, cwd=REPO_ROOT,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def scaled(tmp_path: Path) -> Iterator[Scaled]:
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


def test_a_screening_through_haproxy_is_served_by_both_of_each_and_stored_once_verbatim(
    scaled: Scaled,
) -> None:
    assert "scaled mode: HAProxy round-robin, not sticky" in scaled.summary
    before = scaled.served()
    assert set(before) == {"app-1", "app-2", "engine-1", "engine-2", "actions-1", "actions-2"}

    async def walk() -> tuple[str, WebPractitioner]:
        jar = aiohttp.CookieJar(unsafe=True)  # one browser, whichever process answers
        async with aiohttp.ClientSession(base_url=scaled.app_url, cookie_jar=jar) as client:
            password = dev_password(scaled.env, "dev-practitioner")
            assert (await sign_in(client, "dev-practitioner", password)).status == 303  # type: ignore[arg-type]
            # The session begun through HAProxy is valid on each app process's own port.
            for port in scaled.app_ports:
                async with client.get(f"http://127.0.0.1:{port}/chat", allow_redirects=False) as response:
                    assert response.status == 200, f"the session is not valid on the app at :{port}"
            me = WebPractitioner(client)
            reference = await me.start_new()
            await me.answer_until_summary(reference)
            return reference, me

    reference, me = asyncio.run(walk())
    served = scaled.served()
    for server in ("app-1", "app-2", "engine-1", "engine-2", "actions-1", "actions-2"):
        assert served[server] > before[server], f"{server} served nothing: {served}"

    exported = scaled.export(reference)
    typed = me.typed.get(reference, [])
    assert typed, "the walk typed no answer"
    stored = [revision["text"] for answer in exported["answers"] for revision in answer["revisions"]]
    for text in typed:
        assert stored.count(text) == 1, f"{text!r} stored {stored.count(text)} times"
    for answer in exported["answers"]:
        assert len(answer["revisions"]) == 1, f"{answer['question_id']} stored more than once"


def test_an_engine_and_an_app_killed_mid_conversation_lose_nothing(scaled: Scaled) -> None:
    engine_port = re.search(r"engines: +127\.0\.0\.1:(\d+)", scaled.summary)
    assert engine_port, scaled.summary

    async def walk() -> tuple[str, WebPractitioner]:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(base_url=scaled.app_url, cookie_jar=jar) as client:
            password = dev_password(scaled.env, "dev-practitioner")
            assert (await sign_in(client, "dev-practitioner", password)).status == 303  # type: ignore[arg-type]
            me = WebPractitioner(client)
            reference = await me.start_new()
            for _ in range(3):
                await me.answer(reference)
            asked = (await me.page(reference)).latest_bot_text
            running = children(scaled.pid)
            engine = next(
                pid for pid, cmd in running.items() if f"--port {engine_port.group(1)} " in f"{cmd} "
            )
            app = next(pid for pid, cmd in running.items() if "bot.web" in cmd)
            os.killpg(engine, signal.SIGKILL)
            os.killpg(app, signal.SIGKILL)
            wait_for(scaled.output, "engine-1 was killed by signal SIGKILL", _Running(scaled.pid), 30)
            # The page comes from the surviving app; the question is the one reached before the kills.
            assert (await me.page(reference)).latest_bot_text == asked
            await me.answer_until_summary(reference)
            wait_for(scaled.output, "engine-1 is answering again", _Running(scaled.pid), 300)
            return reference, me

    reference, me = asyncio.run(walk())
    log = scaled.output.read_text()
    assert re.search(r"app-\d was killed by signal SIGKILL", log), log[-3000:]
    exported = scaled.export(reference)
    typed = me.typed.get(reference, [])
    assert typed, "the walk typed no answer"
    stored = [revision["text"] for answer in exported["answers"] for revision in answer["revisions"]]
    for text in typed:
        assert stored.count(text) == 1, f"{text!r} stored {stored.count(text)} times"
    for answer in exported["answers"]:
        assert len(answer["revisions"]) == 1, f"{answer['question_id']} stored more than once"


class _Running:
    """What tests.e2e.test_bot_run_restarts.wait_for polls: `bot run --scaled`, which is not our child here
    but the fixture's (its Popen), so its liveness is read from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        return None if alive(self.pid) else 1
