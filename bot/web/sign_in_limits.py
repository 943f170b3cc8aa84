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
process, or in Redis shared by every app process in scaled mode (bot.shared_state.windows), and move with the
app's clock, which tests move by hand. The `limits` package would do the counting but reads the wall clock
itself, so the app's clock could not drive it; the windows are a few lines.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable

from bot.shared_state.windows import MemoryWindow, Window

MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 100
FAILURE_WINDOW_SECONDS = 5 * 60
CEILING_WINDOW_SECONDS = 1.0


class Refusal(enum.Enum):
    ACCOUNT_AT_ADDRESS = "too many failures for this name from this address"
    ADDRESS = "too many failures from this address"
    BUSY = "too many password checks this second"


def memory_windows(clock: Callable[[], float]) -> Callable[[str, float], Window]:
    """Embedded mode's counts: this process's memory, as before scaled mode."""
    return lambda _name, seconds: MemoryWindow(seconds, clock)


class SignInLimiter:
    def __init__(
        self,
        clock: Callable[[], float],
        *,
        checks_per_second: int,
        windows: Callable[[str, float], Window] | None = None,
    ) -> None:
        window = windows if windows is not None else memory_windows(clock)
        self._pairs = window("pair", FAILURE_WINDOW_SECONDS)
        self._addresses = window("address", FAILURE_WINDOW_SECONDS)
        self._checks = window("checks", CEILING_WINDOW_SECONDS)
        self._checks_per_second = checks_per_second

    async def admit(self, account: str, address: str) -> Refusal | None:
        """None, and one password check counted against the ceiling, if this attempt may be checked; else why
        not (and nothing is counted). Across app processes sharing Redis the count and the add are two steps,
        so at one instant the ceiling can be passed by at most one check per process."""
        if await self._pairs.count(_pair(account, address)) >= MAX_FAILURES:
            return Refusal.ACCOUNT_AT_ADDRESS
        if await self._addresses.count(address) >= MAX_ADDRESS_FAILURES:
            return Refusal.ADDRESS
        if await self._checks.count(_EVERY_CHECK) >= self._checks_per_second:
            return Refusal.BUSY
        await self._checks.add(_EVERY_CHECK)
        return None

    async def failed(self, account: str, address: str) -> None:
        await self._pairs.add(_pair(account, address))
        await self._addresses.add(address)

    async def succeeded(self, account: str, address: str) -> None:
        # The address's count stays: one right password must not wipe out a sweep across other names.
        await self._pairs.clear(_pair(account, address))


_EVERY_CHECK = ""  # the ceiling's one key


def _pair(account: str, address: str) -> str:
    return json.dumps([account, address])  # unambiguous whatever either holds
