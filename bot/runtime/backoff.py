"""When `bot run` starts a process again after it died, and when it gives up (issue #35).

Pure bookkeeping over times the caller passes in (time.monotonic() in `bot run`, a moved number in the
tests), so the policy is tested without waiting. One RestartPolicy per process.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class BackOff:
    # The first restart waits first_delay seconds; each death after it doubles the wait, up to max_delay.
    first_delay: float = 1.0
    max_delay: float = 60.0
    # A process that stayed up this long before dying was working: its wait starts again at first_delay.
    stable_after: float = 120.0
    # This many deaths within window seconds: it will not stay up, so stop the product rather than loop.
    max_deaths: int = 5
    window: float = 300.0


class RestartPolicy:
    def __init__(self, backoff: BackOff | None = None) -> None:
        self.backoff = backoff or BackOff()
        self._next_delay = self.backoff.first_delay
        self._deaths: deque[float] = deque()
        self._started_at: float | None = None

    def started(self, now: float) -> None:
        """The process was (re)started at `now`."""
        self._started_at = now

    def died(self, now: float) -> float | None:
        """The process died at `now`: seconds to wait before starting it again, or None to give up."""
        if self._started_at is not None and now - self._started_at >= self.backoff.stable_after:
            self._next_delay = self.backoff.first_delay
        self._started_at = None
        self._deaths.append(now)
        while self._deaths and now - self._deaths[0] > self.backoff.window:
            self._deaths.popleft()
        if len(self._deaths) >= self.backoff.max_deaths:
            return None
        delay = self._next_delay
        self._next_delay = min(delay * 2, self.backoff.max_delay)
        return delay

    @property
    def recent_deaths(self) -> int:
        """Deaths counted in the current window (for the message when it gives up)."""
        return len(self._deaths)
