"""The app's session clock, moved forward by the end-to-end tests (issue #27: no waiting on real time).

Idle sign-out and the sign-in limit run on monotonic seconds (`create_app(clock=...)`). In-process tests
hand the app a fake clock; the end-to-end tests run the app as a separate process, so they name a file
instead (BOT_TEST_CLOCK_FILE, set only by tests/e2e/conftest.py) holding how many seconds to add to the
real monotonic clock. Writing a larger number there is "half an hour has passed" for every session at once.
Production refuses the setting (bot.production), so a deployed app always runs on the real clock.

Monotonic time is the same clock for every process on the machine, so an app restarted with the same file
keeps the same time. The file is read on every call: it is a few bytes, and the clock is asked a few times a
request, only in tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path


class ClockFileError(RuntimeError):
    """The clock file holds something that is not a number of seconds."""


class SettableClock:
    """Monotonic seconds plus the offset in `path` (none while the file does not exist)."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def offset(self) -> float:
        try:
            text = self._path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return 0.0
        try:
            seconds = float(text)
        except ValueError:
            raise ClockFileError(
                f"BOT_TEST_CLOCK_FILE {self._path} must hold a number of seconds, got {text[:40]!r}"
            ) from None
        if not seconds >= 0:  # also refuses NaN: a clock never runs backwards
            raise ClockFileError(f"BOT_TEST_CLOCK_FILE {self._path} must not be negative, got {text!r}")
        return seconds

    def __call__(self) -> float:
        return time.monotonic() + self.offset()


def advance(path: Path, seconds: float) -> float:
    """Move the clock of every app reading `path` forward by `seconds`; the new offset. The file is replaced
    whole, so an app never reads half a number."""
    if not seconds >= 0:
        raise ValueError(f"a clock only moves forward, got {seconds!r}")
    offset = SettableClock(path).offset() + seconds
    staging = path.with_name(f".{path.name}.new")
    staging.write_text(f"{offset!r}\n", encoding="utf-8")
    staging.replace(path)
    return offset


def wall_clock(path: Path) -> Callable[[], datetime]:
    """The notice worker's "now" moved by the same offset (issue #12: a review reminder falls due when the
    end-to-end test moves the clock past its date, instead of the test waiting days)."""
    clock = SettableClock(path)
    return lambda: datetime.now(UTC) + timedelta(seconds=clock.offset())
