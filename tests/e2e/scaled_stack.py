"""One `bot run --scaled` stack (issue #34) that several tests share, one after another (issue #27).

Started on free loopback ports with a data folder of its own; between two tests it must be whole again
(`missing`): every process a test killed started again by the command and answering, HAProxy showing all
six servers UP, each app and the front door ready, a sign-in through HAProxy accepted. Stopped with Ctrl-C
(SIGINT, as a terminal sends it), which must stop all it started: no process of it, no port left listening.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import aiohttp

from bot.runtime.processes import free_port
from bot.runtime.scaled_servers import every_server_up
from bot.settings import REPO_ROOT
from tests.e2e.bot_run_process import BOT, PORTS, alive, children, dev_password, listening, wait_for
from tests.web.web_helpers import sign_in

READY = "Press Ctrl-C to stop them all."
# An engine started again loads its model for minutes on a loaded two-core machine (the tests wait as long).
WHOLE_WITHIN = 300.0
# The command's keeper, on a process that died and on one started again that answers (bot.runtime.keep_up).
DIED = re.compile(r"\] (\S+) (?:was killed by signal \S+|exited with code -?\d+) unexpectedly")
ANSWERING = re.compile(r"\] (\S+) is answering again")
# Who signs in to check the front door: an account the command made (a sign-in adds a session, no data).
CHECKER = "dev-practitioner"


class ScaledStack:
    """The running command, where everything is, and the processes it had started."""

    def __init__(self, folder: Path) -> None:
        keep = ("BOT_PASSWORD_HASHING", "BOT_SQLITE_DURABILITY", "BOT_DATA_KEYS")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") or k in keep} | {
            "BOT_DATA_DIR": str(folder / "data"),
            "BOT_MODELS_DIR": str(REPO_ROOT / "var" / "models"),
            **{name: str(free_port()) for name in PORTS},
        }
        self.output = folder / "bot-run-scaled.out"
        with self.output.open("wb") as out:
            self.run = subprocess.Popen(
                [str(BOT), "run", "--scaled"], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, cwd=REPO_ROOT,
            )  # fmt: skip
        self.started: dict[int, str] = {}  # every process of it seen, so that Ctrl-C is checked on all
        self.ports: list[str] = []
        try:
            wait_for(self.output, READY, self.run, 900)
            self.summary = self.output.read_text()
            self.started = children(self.run.pid)
            # What must run for the stack to be whole: a process started again has the same command line.
            self.commands = Counter(self.started.values())
            postgres = re.search(r"PostgreSQL: +127\.0\.0\.1:(\d+)", self.summary)
            stats = re.search(r"stats at (http://127\.0\.0\.1:(\d+)/stats)", self.summary)
            apps = re.search(r"apps: +127\.0\.0\.1:(\d+), 127\.0\.0\.1:(\d+)", self.summary)
            assert postgres and stats and apps, self.summary
        except BaseException:
            self.interrupt()
            raise
        self.ports = [*apps.groups(), postgres.group(1)]
        self.app_ports = list(apps.groups())
        self.stats_url, self.stats_port = stats.group(1), int(stats.group(2))
        self.app_url = f"http://127.0.0.1:{self.env['BOT_APP_PORT']}"
        password = (folder / "data" / "secrets" / "scaled-postgres-password").read_text().strip()
        self.store_url = f"postgresql+psycopg://store:{password}@127.0.0.1:{postgres.group(1)}/store"

    def missing(self, since: int, within: float = WHOLE_WITHIN) -> str | None:
        """Waits until the stack is whole again after what a test did from output offset `since`: None, or
        what is still missing when `within` seconds have passed."""
        deadline = time.monotonic() + within
        while True:
            wanting = self._wanting(since)
            if wanting is None or time.monotonic() > deadline:
                return wanting
            time.sleep(1)

    def _wanting(self, since: int) -> str | None:
        if self.run.poll() is not None:
            return f"`bot run --scaled` ended with code {self.run.returncode}"
        with self.output.open("rb") as log:
            log.seek(since)
            said = log.read().decode(errors="replace")
        deaths = Counter(DIED.findall(said))
        deaths.subtract(Counter(ANSWERING.findall(said)))
        if down := sorted(name for name, count in deaths.items() if count > 0):
            return f"not answering again yet: {', '.join(down)}"
        running = Counter(command for pid, command in children(self.run.pid).items() if alive(pid))
        if absent := self.commands - running:
            return f"not running: {', '.join(command[:80] for command in absent)}"
        if not every_server_up(self.stats_port):
            return "HAProxy does not show every server UP"
        for url in (self.app_url, *(f"http://127.0.0.1:{port}" for port in self.app_ports)):
            if (status := ready(url)) != 200:
                return f"{url}/readyz answered {status}"
        if (status := asyncio.run(self._sign_in())) != 303:
            return f"a sign-in through HAProxy answered {status}"
        return None

    async def _sign_in(self) -> int:
        async with aiohttp.ClientSession(
            base_url=self.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
        ) as client:
            try:
                response = await sign_in(client, CHECKER, dev_password(self.env, CHECKER))  # type: ignore[arg-type]
            except AssertionError:  # the sign-in page itself was not a 200
                return -1
            except aiohttp.ClientError:
                return 0
            return response.status

    def stop(self) -> None:
        """Ctrl-C: the command exits cleanly, and nothing it ever started runs or listens any more."""
        code = self.interrupt()
        log = self.output.read_text(errors="replace")
        assert code == 0, log[-3000:]
        assert "stopped" in log.splitlines()[-1]
        assert [command for pid, command in self.started.items() if alive(pid)] == []
        for port in (*(self.env[name] for name in PORTS), *self.ports):
            assert not listening(port), f"something still listens on {port}"

    def interrupt(self) -> int:
        if self.run.poll() is None:
            self.started |= children(self.run.pid)  # those started again since, too
            self.run.send_signal(signal.SIGINT)  # Ctrl-C
        return self.run.wait(timeout=180)


def ready(url: str) -> int:
    """The status of `url`'s /readyz (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:  # loopback
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0
