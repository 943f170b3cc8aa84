"""One `bot run` (issue #35) that the tests of tests/e2e/test_bot_run_probes.py and
tests/e2e/test_bot_run_restarts.py share, one after another (issue #27): the `bot_run` fixture.

Starting the product (engine, action server, app) is most of what those tests cost, so the first of them to
run starts it and the others use it; they run in one pytest-xdist group, so on one worker
(tests/conftest.py). Each test is kept apart by its own data: its own assessment, counters compared before
and after its own walk, and only what the command printed after the test began (`BotRun.wait_for`). A test
that kills a process waits until `bot run` says it is answering again.

After each test the product must be whole again (`BotRun.missing`): the command running, every process that
died since the test began reported answering again, the same processes running as when it started, and
`/readyz` 200 with everything up. If it is not whole within `WHOLE_WITHIN`, it is stopped, with a
`BotRunReplaced` warning, and the next test starts a fresh one: one test's fault never fails another. When
no test after it needs the product, SIGTERM must stop all it started (no process, no port left listening),
checked: a failure there is an error in the tear-down of the test that used it last.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.e2e.bot_run_process import (
    alive,
    bot_run_env,
    children,
    ready_answer,
    said_since,
    start_bot_run,
    stop_bot_run,
    wait_for,
)
from tests.e2e.scaled_fixture import NEXT_ITEM
from tests.e2e.scaled_stack import ANSWERING, DIED

ALL_UP = {"status": "ready", "checks": {"database": "ok", "engine": "ok", "action_server": "ok"}}
# An engine started again loads its model for minutes on a loaded two-core machine (the tests wait as long).
WHOLE_WITHIN = 300.0


class BotRunReplaced(UserWarning):
    """A test left the shared `bot run` broken: it was stopped, and the next test starts a fresh one."""


@dataclass
class BotRun:
    """The running command, where everything is, and the processes it was seen to start."""

    run: subprocess.Popen[bytes]
    env: dict[str, str]
    output: Path  # what `bot run` prints
    started: dict[int, str] = field(default_factory=dict)  # every process of it seen, for the stop's check
    commands: Counter[str] = field(default_factory=Counter)  # what must run for it to be whole
    mark: int = 0  # how long `output` was when the current test began

    @classmethod
    def start(cls, folder: Path) -> BotRun:
        env = bot_run_env(folder / "data")
        output = folder / "bot-run.out"
        running = cls(start_bot_run(env, output), env, output)
        running.started = children(running.run.pid)
        # A process started again has the same command line, so these say what a whole product runs.
        running.commands = Counter(running.started.values())
        return running

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.env)

    def wait_for(self, text: str, seconds: float) -> None:
        """Until the command says `text`, after the current test began."""
        wait_for(self.output, text, self.run, seconds, since=self.mark)

    def pids_of(self, part: str) -> list[int]:
        """The processes `bot run` runs now whose command line has `part` (noted for the stop's check)."""
        running = children(self.run.pid)
        self.started |= running
        return [pid for pid, command in running.items() if part in f"{command} "]

    def engine_pid(self) -> int:
        """The engine `bot run` started: the Rasa process on the engine port (its launcher execs Rasa)."""
        engines = self.pids_of(f"--port {self.env['BOT_ENGINE_PORT']} ")
        assert len(engines) == 1, self.started
        return engines[0]

    def missing(self, within: float = WHOLE_WITHIN) -> str | None:
        """Waits until the product is whole again after what the current test did: None, or what is still
        missing when `within` seconds have passed."""
        deadline = time.monotonic() + within
        while True:
            wanting = self._wanting()
            # A command that has ended starts nothing again: no use waiting for it.
            if wanting is None or self.run.poll() is not None or time.monotonic() > deadline:
                return wanting
            time.sleep(1)

    def _wanting(self) -> str | None:
        if self.run.poll() is not None:
            return f"`bot run` ended with code {self.run.returncode}"
        said = said_since(self.output, self.mark)
        deaths = Counter(DIED.findall(said))
        deaths.subtract(Counter(ANSWERING.findall(said)))
        if down := sorted(name for name, count in deaths.items() if count > 0):
            return f"not answering again yet: {', '.join(down)}"
        running = children(self.run.pid)
        self.started |= running
        if absent := self.commands - Counter(c for pid, c in running.items() if alive(pid)):
            return f"not running: {', '.join(command[:80] for command in absent)}"
        try:
            answer = ready_answer(self.settings)
        except (OSError, ValueError) as error:  # refused, timed out, or not its JSON: not answering
            return f"/readyz did not answer: {error}"
        if answer != (200, ALL_UP):
            return f"/readyz answered {answer}"
        return None

    def stop(self) -> None:
        """SIGTERM, checked: it exits cleanly and nothing it ever started runs or listens any more."""
        if self.run.poll() is None:
            self.started |= children(self.run.pid)  # those started again since, too
        stop_bot_run(self.run, self.output, self.started, self.env)

    def discard(self) -> None:
        """Stops a broken one, unchecked (its test has failed already): SIGTERM, then SIGKILL to whatever of
        it is still running, so that nothing of it outlives the run."""
        if self.run.poll() is None:
            self.started |= children(self.run.pid)
            self.run.send_signal(signal.SIGTERM)
            try:
                self.run.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.run.pid, signal.SIGKILL)  # its own session: the command and its group
                self.run.wait(timeout=30)
        for pid in self.started:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):  # it may end between the two looks
                    os.killpg(pid, signal.SIGKILL)  # each process it started leads a group of its own


class SharedBotRun:
    """This worker's `bot run`, started when a test first needs it. Held by the module rather than by a
    session-scoped fixture: a fixture imported into two test modules is two fixtures, and would start two."""

    def __init__(self) -> None:
        self.current: BotRun | None = None

    def get(self, folders: pytest.TempPathFactory, session: pytest.Session) -> BotRun:
        if self.current is None:
            self.current = BotRun.start(folders.mktemp("bot-run"))
            # If the run is cut short (-x, Ctrl-C) no test's tear-down stops it: the session's end does.
            session.addfinalizer(self.discard)
        return self.current

    def stop(self) -> None:
        running, self.current = self.current, None
        if running is not None:
            try:
                running.stop()
            finally:
                running.discard()  # whatever a failed stop left running (a no-op after a clean one)

    def discard(self) -> None:
        running, self.current = self.current, None
        if running is not None:
            running.discard()


_shared = SharedBotRun()


@pytest.fixture(name="bot_run")  # named apart from its tests' parameter: importing it shadows nothing
def shared_bot_run(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[BotRun]:
    running = _shared.get(tmp_path_factory, request.session)
    running.mark = running.output.stat().st_size
    yield running
    following = request.node.stash.get(NEXT_ITEM, None)
    if following is None or "bot_run" not in getattr(following, "fixturenames", ()):
        _shared.stop()  # SIGTERM, checked: nothing after this test needs the product
        return
    missing = running.missing()
    if missing is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("always", BotRunReplaced)  # reported in the run's warnings, not an error
            warnings.warn(
                f"bot run was not whole after {request.node.name} ({missing}): stopped; the next test "
                "starts a fresh one",
                BotRunReplaced,
                stacklevel=1,
            )
        _shared.discard()
