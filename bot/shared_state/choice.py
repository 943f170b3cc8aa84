"""The app's composition root picks, once, where the four shared concerns live (bot.web.app)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.shared_state.deliveries import DeliveryGuard, MemoryDeliveryGuard, RedisDeliveryGuard
from bot.shared_state.locks import MemoryUserLocks, RedisUserLocks, UserLocks
from bot.shared_state.sessions import MemorySessionTable, RedisSessionTable, SessionTable
from bot.shared_state.url import RedisAddress
from bot.shared_state.windows import MemoryWindow, RedisWindow, Window


@dataclass(frozen=True)
class SharedState:
    sessions: SessionTable
    window: Callable[[str, float], Window]  # (name, seconds): one count of the sign-in limiter
    locks: UserLocks
    deliveries: DeliveryGuard
    close: Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


def shared_state(address: RedisAddress | None, clock: Callable[[], float], secret: bytes) -> SharedState:
    """In memory when `address` is None (embedded mode); else in that Redis database. `secret` (the session
    secret) keys the hashes that name keys, so Redis's contents cannot be matched against a guessed name."""
    if address is None:
        return SharedState(
            MemorySessionTable(),
            lambda _name, seconds: MemoryWindow(seconds, clock),
            MemoryUserLocks(),
            MemoryDeliveryGuard(),
            _nothing,
        )
    # Imported only here: embedded mode, every `make run` and most tests, never loads redis-py (issue #27).
    from redis.asyncio import Redis

    client = Redis(**address.client_options())
    key = hashlib.sha256(b"bot.shared_state\0" + secret).digest()
    return SharedState(
        RedisSessionTable(client, key),
        lambda name, seconds: RedisWindow(client, name, seconds, clock, key),
        RedisUserLocks(client),
        RedisDeliveryGuard(client, key),
        client.aclose,
    )
