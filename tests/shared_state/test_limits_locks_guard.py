"""The sign-in limiter's windows, the conversation lock and the Teams guard over memory and Redis alike."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.shared_state.choice import SharedState, shared_state
from bot.shared_state.locks import RedisUserLocks
from bot.shared_state.url import RedisAddress
from bot.web.sign_in_limits import FAILURE_WINDOW_SECONDS, MAX_FAILURES, Refusal, SignInLimiter
from tests.shared_state.conftest import SECRET, ManualClock, ttls


def limiter(state: SharedState, clock: ManualClock, per_second: int = 100) -> SignInLimiter:
    return SignInLimiter(clock, checks_per_second=per_second, windows=state.window)


async def test_failures_for_a_name_at_an_address_hold_until_the_window_passes(
    state: SharedState, clock: ManualClock
) -> None:
    limits = limiter(state, clock)
    for _ in range(MAX_FAILURES):
        assert await limits.admit("ann", "10.0.0.1") is None
        await limits.failed("ann", "10.0.0.1")
    assert await limits.admit("ann", "10.0.0.1") is Refusal.ACCOUNT_AT_ADDRESS
    assert await limits.admit("ann", "10.0.0.2") is None  # the colleague's own computer
    clock.now += FAILURE_WINDOW_SECONDS  # the app's clock, not Redis's TTL, opens the window again
    assert await limits.admit("ann", "10.0.0.1") is None


async def test_a_success_clears_the_pair_only(state: SharedState, clock: ManualClock) -> None:
    limits = limiter(state, clock)
    for _ in range(MAX_FAILURES - 1):
        await limits.failed("ann", "10.0.0.1")
    await limits.succeeded("ann", "10.0.0.1")
    for _ in range(MAX_FAILURES - 1):
        await limits.failed("ann", "10.0.0.1")
    assert await limits.admit("ann", "10.0.0.1") is None


async def test_the_ceiling_counts_checks_per_second(state: SharedState, clock: ManualClock) -> None:
    limits = limiter(state, clock, per_second=3)
    assert [await limits.admit(f"u{i}", "10.0.0.9") for i in range(4)] == [None, None, None, Refusal.BUSY]
    clock.now += 1.0
    assert await limits.admit("u9", "10.0.0.9") is None


async def test_a_limit_reached_in_one_process_holds_in_another(redis_port: int, redis_client: Redis) -> None:
    clock = ManualClock()
    address = RedisAddress("127.0.0.1", redis_port, 1)
    first, second = shared_state(address, clock, SECRET), shared_state(address, clock, SECRET)
    a, b = limiter(first, clock), limiter(second, clock)
    for _ in range(MAX_FAILURES):
        await a.failed("ann.smith", "192.0.2.7")
    assert await b.admit("ann.smith", "192.0.2.7") is Refusal.ACCOUNT_AT_ADDRESS
    keys = await redis_client.keys("bot:limit:*")
    assert keys and not any(b"ann" in key or b"192.0.2.7" in key for key in keys)
    assert all(0 < ttl <= FAILURE_WINDOW_SECONDS + 2 for ttl in await ttls(redis_client, keys))
    await first.close()
    await second.close()


async def test_one_persons_turns_wait_for_each_other(state: SharedState) -> None:
    order: list[str] = []

    async def turn(name: str, pause: float) -> None:
        async with state.locks.hold(3):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    first = asyncio.create_task(turn("first", 0.2))
    await asyncio.sleep(0.05)
    await asyncio.gather(first, turn("second", 0))
    assert order == ["first in", "first out", "second in", "second out"]


async def test_the_lock_is_held_across_processes_and_freed_when_its_holder_dies(
    redis_port: int, redis_client: Redis
) -> None:
    """A holder that never releases (a killed process) frees the lock when its timeout passes; one that
    is alive keeps it however long its turn, by renewing it."""
    short = 1.0
    clients = [Redis(host="127.0.0.1", port=redis_port, db=1) for _ in range(2)]
    alive, other = (RedisUserLocks(client, lock_seconds=short) for client in clients)
    order: list[str] = []

    async def long_turn() -> None:
        async with alive.hold(8):
            order.append("long in")
            await asyncio.sleep(1.5 * short)  # past the timeout: renewal keeps it
            order.append("long out")

    async def waiting_turn() -> None:
        await asyncio.sleep(0.1)
        async with other.hold(8):
            order.append("other in")

    await asyncio.gather(long_turn(), waiting_turn())
    assert order == ["long in", "long out", "other in"]
    # A dead holder: its lock is taken and never released.
    dead = redis_client.lock("bot:lock:user:9", timeout=short)
    assert await dead.acquire()
    async with other.hold(9):
        order.append("after the dead holder")
    assert order[-1] == "after the dead holder"
    for client in clients:
        await client.aclose()


async def test_a_teams_activity_is_answered_once(state: SharedState) -> None:
    assert await state.deliveries.first_delivery("conv-1", "act-1") is True
    assert await state.deliveries.first_delivery("conv-1", "act-1") is False
    assert await state.deliveries.first_delivery("conv-1", "act-2") is True


async def test_a_retry_to_another_process_is_refused(redis_port: int, redis_client: Redis) -> None:
    clock = ManualClock()
    address = RedisAddress("127.0.0.1", redis_port, 1)
    first, second = shared_state(address, clock, SECRET), shared_state(address, clock, SECRET)
    results = await asyncio.gather(
        first.deliveries.first_delivery("19:abc", "1700"), second.deliveries.first_delivery("19:abc", "1700")
    )
    assert sorted(results) == [False, True]
    keys = await redis_client.keys("bot:teams:*")
    assert keys and all(b"19:abc" not in key for key in keys)
    assert all(ttl > 0 for ttl in await ttls(redis_client, keys))
    await first.close()
    await second.close()
