"""How many sign-in attempts are let through to the (slow on purpose) password check (issue #30).

Three counts, each with its own limit:

- failed attempts per account and client address together: after `MAX_FAILURES` in `FAILURE_WINDOW_SECONDS`
  that pair waits. Guessing at a colleague's name from one address slows the guesser only; the colleague
  still signs in from their own computer. There is deliberately no count per account across every address:
  that count is exactly what would let anyone lock a chosen colleague out.
- failed attempts per client address across every name (`MAX_ADDRESS_FAILURES` in the same window): one
  address trying many names waits too. Generous, because a whole office may share one address.
- password checks per second across the app (`BOT_SIGN_IN_CHECKS_PER_SECOND`): an attempt over the ceiling is
  refused at once (429) and never hashed, so a flood from many addresses cannot queue real sign-ins behind
  thousands of hashes. Attempts refused by the first two counts never reach the check, so they take no share.

The client address is bot.web.client_address's (our own proxies' X-Forwarded-For only). Counts live in this
process and move with the app's clock, which tests move by hand. The `limits` package would do the counting
but reads the wall clock itself, so the app's clock could not drive it; the windows here are a few lines.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Hashable

MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 100
FAILURE_WINDOW_SECONDS = 5 * 60
CEILING_WINDOW_SECONDS = 1.0
# Past this many tracked keys, forget the ones whose failures are all outside the window.
_PRUNE_ABOVE = 10_000


class Refusal(enum.Enum):
    ACCOUNT_AT_ADDRESS = "too many failures for this name from this address"
    ADDRESS = "too many failures from this address"
    BUSY = "too many password checks this second"


class _Window:
    """Times of events within the last `seconds`, per key."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._seconds = seconds
        self._clock = clock
        self._times: dict[Hashable, deque[float]] = {}

    def count(self, key: Hashable) -> int:
        return len(self._recent(key))

    def add(self, key: Hashable) -> None:
        if len(self._times) > _PRUNE_ABOVE:
            for stale in [k for k in self._times if not self._recent(k)]:
                del self._times[stale]
        self._times.setdefault(key, deque()).append(self._clock())

    def clear(self, key: Hashable) -> None:
        self._times.pop(key, None)

    def _recent(self, key: Hashable) -> deque[float]:
        times = self._times.get(key, deque())
        cutoff = self._clock() - self._seconds
        while times and times[0] <= cutoff:
            times.popleft()
        return times


class SignInLimiter:
    def __init__(self, clock: Callable[[], float], *, checks_per_second: int) -> None:
        self._pairs = _Window(FAILURE_WINDOW_SECONDS, clock)
        self._addresses = _Window(FAILURE_WINDOW_SECONDS, clock)
        self._checks = _Window(CEILING_WINDOW_SECONDS, clock)
        self._checks_per_second = checks_per_second

    def admit(self, account: str, address: str) -> Refusal | None:
        """None, and one password check counted against the ceiling, if this attempt may be checked; else why
        not (and nothing is counted)."""
        if self._pairs.count((account, address)) >= MAX_FAILURES:
            return Refusal.ACCOUNT_AT_ADDRESS
        if self._addresses.count(address) >= MAX_ADDRESS_FAILURES:
            return Refusal.ADDRESS
        if self._checks.count(None) >= self._checks_per_second:
            return Refusal.BUSY
        self._checks.add(None)
        return None

    def failed(self, account: str, address: str) -> None:
        self._pairs.add((account, address))
        self._addresses.add(address)

    def succeeded(self, account: str, address: str) -> None:
        # The address's count stays: one right password must not wipe out a sweep across other names.
        self._pairs.clear((account, address))
