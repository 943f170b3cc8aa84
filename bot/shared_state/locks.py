"""One lock per user, so that one person's messages are handled in order and one at a time
(bot.chat.conversation_service), whichever app process each arrives at.

The Redis lock is redis-py's (atomic release, token-checked extend). It times out after LOCK_SECONDS, far
longer than a turn (the engine gateway gives up after 20 s), and is renewed while held, so a long turn keeps
it, and a process killed while holding it frees it at most LOCK_SECONDS later. A process also takes its own
asyncio lock first, so its own waiters queue in memory rather than polling Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from bot.shared_state.keys import PREFIX

if TYPE_CHECKING:  # embedded mode never loads redis-py (start-up cost, issue #27)
    from redis.asyncio import Redis

LOCK_SECONDS = 60.0


class UserLocks(Protocol):
    def hold(self, user_id: int) -> AbstractAsyncContextManager[None]: ...


class MemoryUserLocks:
    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    @contextlib.asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        async with self._lock(user_id):
            yield


class RedisUserLocks:
    def __init__(self, client: Redis, lock_seconds: float = LOCK_SECONDS) -> None:
        self._client = client
        self._lock_seconds = lock_seconds
        self._local = MemoryUserLocks()

    @contextlib.asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        from redis.exceptions import LockError  # here: only scaled mode has redis-py loaded (issue #27)

        async with self._local.hold(user_id):
            # A waiter gives up (an error, nothing sent) only after a killed holder's lock expired twice over.
            lock = self._client.lock(
                f"{PREFIX}lock:user:{user_id}",
                timeout=self._lock_seconds,
                blocking_timeout=2 * self._lock_seconds,
                sleep=0.05,
            )
            if not await lock.acquire():
                wait = 2 * self._lock_seconds
                raise LockError(f"user {user_id}'s conversation lock was not free within {wait} s")
            renewing = asyncio.create_task(_renew(lock, self._lock_seconds / 3))
            try:
                yield
            finally:
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                with contextlib.suppress(LockError):  # expired and taken over: nothing of ours to release
                    await lock.release()


async def _renew(lock: object, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await lock.reacquire()  # type: ignore[attr-defined]  # back to the full timeout
