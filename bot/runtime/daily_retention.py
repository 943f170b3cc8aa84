"""The retention job once a day inside `bot run` (issue #31), at BOT_RETENTION_AT local time (default 02:00).

`bot run`'s loop calls `tick()` twice a second. When the clock passes the next run's moment, it starts
`bot retention run` as a child process (the very command an administrator runs, so the two can never
differ) with its output going to logs/retention.log, and reports the child's summary line (how many cases
and engine events went) once it has finished. Never twice at once: a run still going when the next falls due
is reported and that day's is skipped, and the command itself holds a lock in the data folder
(bot.runtime.job_lock), so a run by hand meanwhile is refused rather than overlapping.

The first run is the next such moment after `bot run` starts, never at start-up: a restart at 09:00 does not
erase anything until 02:00 the next night. The clock is the tests' settable one under BOT_TEST_CLOCK_FILE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import IO

from bot.domain.retention import next_daily_run
from bot.settings import REPO_ROOT, Settings

# The `bot` command of this environment, as the module path so that it works wherever the venv lives.
COMMAND = (sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())", "retention", "run")
PREFIX = "retention job: "


class DailyRetention:
    def __init__(
        self,
        at: time,
        clock: Callable[[], datetime],
        log_path: Path,
        say: Callable[[str], None],
        *,
        command: tuple[str, ...] = COMMAND,
        env: dict[str, str] | None = None,
    ) -> None:
        self._at, self._clock, self._log_path, self._say = at, clock, log_path, say
        self._command, self._env = command, env
        self.next_run = next_daily_run(clock(), at)
        self._running: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None
        self._start_offset = 0

    @property
    def running(self) -> bool:
        return self._running is not None

    def tick(self) -> None:
        """Report a run that has finished; start one if its moment has come."""
        self._collect()
        now = self._clock()
        if now < self.next_run:
            return
        self.next_run = next_daily_run(now, self._at)
        if self._running is not None:
            self._say(f"{PREFIX}the last run is still going; this one is skipped (next {self._next_text()})")
            return
        self._log_path.parent.mkdir(parents=True, exist_ok=True)
        # Private from the start: the log names the references erased.
        self._output = os.fdopen(os.open(self._log_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600), "a+b")
        self._start_offset = self._output.seek(0, os.SEEK_END)
        self._running = subprocess.Popen(
            self._command,
            cwd=REPO_ROOT,
            env=self._env,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self._say(f"{PREFIX}started")

    def wait(self) -> None:
        """Wait for a run in progress and report it (when `bot run` stops, and in tests)."""
        if self._running is not None:
            self._running.wait()
            self._collect()

    def _collect(self) -> None:
        if self._running is None or self._running.poll() is None or self._output is None:
            return
        code = self._running.returncode
        self._output.seek(self._start_offset)
        lines = self._output.read().decode("utf-8", errors="replace").splitlines()
        self._output.close()
        self._running, self._output = None, None
        if code == 0 and lines:
            self._say(f"{PREFIX}{lines[0]} (next {self._next_text()}; the list is in {self._log_path})")
        else:
            why = lines[-1] if lines else "no output"
            self._say(f"{PREFIX}failed (exit {code}): {why}; next try {self._next_text()}")

    def _next_text(self) -> str:
        from bot.domain.local_time import LOCAL_ZONE

        return f"{self.next_run.astimezone(LOCAL_ZONE):%Y-%m-%d %H:%M}"


def from_settings(settings: Settings, say: Callable[[str], None]) -> DailyRetention | None:
    """The job `bot run` keeps, or None when BOT_RETENTION_AT=off. Its child gets `bot run`'s own
    environment, so it reads the same store, data folder and schedule."""
    if settings.retention_at is None:
        return None
    from bot.runtime.settable_clock import wall_clock

    clock = wall_clock(settings.test_clock_file) if settings.test_clock_file else _now
    return DailyRetention(settings.retention_at, clock, settings.data_dir / "logs" / "retention.log", say)


def _now() -> datetime:
    return datetime.now(UTC)
