"""Times of events within the last so many seconds, per key: the sign-in limiter's counts
(bot.web.sign_in_limits).

Times are the app's clock's, stored as values (a Redis sorted set's scores), and the window is cut by that
clock, so a test that moves the clock moves the limits in every process alike. The key's TTL (the window's
length) only stops a key nobody comes back to from staying for ever.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from bot.shared_state.keys import PREFIX, hashed, ttl

if TYPE_CHECKING:  # embedded mode never loads redis-py (start-up cost, issue #27)
    from redis.asyncio import Redis

# Past this many tracked keys, forget the ones whose events are all outside the window (memory only).
_PRUNE_ABOVE = 10_000


class Window(Protocol):
    async def count(self, key: str) -> int: ...

    async def add(self, key: str) -> None: ...

    async def clear(self, key: str) -> None: ...


class MemoryWindow:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._seconds = seconds
        self._clock = clock
        self._times: dict[str, deque[float]] = {}

    async def count(self, key: str) -> int:
        return len(self._recent(key))

    async def add(self, key: str) -> None:
        if len(self._times) > _PRUNE_ABOVE:
            for stale in [k for k in self._times if not self._recent(k)]:
                del self._times[stale]
        self._times.setdefault(key, deque()).append(self._clock())

    async def clear(self, key: str) -> None:
        self._times.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        times = self._times.get(key, deque())
        cutoff = self._clock() - self._seconds
        while times and times[0] <= cutoff:
            times.popleft()
        return times


class RedisWindow:
    """One sorted set per key (named by a keyed hash: account names and addresses never reach Redis)."""

    def __init__(
        self, client: Redis, name: str, seconds: float, clock: Callable[[], float], secret: bytes
    ) -> None:
        self._client = client
        self._name = name
        self._seconds = seconds
        self._clock = clock
        self._secret = secret

    def _key(self, key: str) -> str:
        return f"{PREFIX}limit:{self._name}:{hashed(self._secret, key)}"

    async def count(self, key: str) -> int:
        name = self._key(key)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, "-inf", self._clock() - self._seconds)  # inclusive, as in memory
            pipe.zcard(name)
            _removed, found = await pipe.execute()
        return int(found)

    async def add(self, key: str) -> None:
        name, now = self._key(key), self._clock()
        async with self._client.pipeline(transaction=True) as pipe:
            # A random suffix: two events at the same instant are two members, not one.
            pipe.zadd(name, {f"{now!r}:{secrets.token_hex(4)}": now})
            pipe.expire(name, ttl(self._seconds))
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self._client.delete(self._key(key))
