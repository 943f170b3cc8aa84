"""Each shared concern's tests run once over memory and once over a private Redis (issue #34)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from bot.shared_state.choice import SharedState, shared_state
from bot.shared_state.url import RedisAddress
from tests.fixtures.redis_server import redis_server

SECRET = b"s" * 32


class ManualClock:
    """The app's clock, moved by hand as the tests move the real app's."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    with redis_server() as port:
        yield port


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(params=["memory", "redis"])
async def state(request: pytest.FixtureRequest, clock: ManualClock) -> AsyncIterator[SharedState]:
    address = None
    if request.param == "redis":
        port = request.getfixturevalue("redis_port")
        address = RedisAddress("127.0.0.1", port, 1)
        cleaner = Redis(host="127.0.0.1", port=port, db=1)
        await cleaner.flushdb()  # each test starts from an empty database
        await cleaner.aclose()
    made = shared_state(address, clock, SECRET)
    yield made
    await made.close()


@pytest.fixture
async def redis_client(redis_port: int) -> AsyncIterator[Redis]:
    client = Redis(host="127.0.0.1", port=redis_port, db=1)
    yield client
    await client.aclose()


async def ttls(client: Redis, keys: list[bytes]) -> list[int]:
    """Each key's time to live in seconds (-1: none, which no key of ours may have)."""
    return [await client.ttl(key) for key in keys]
