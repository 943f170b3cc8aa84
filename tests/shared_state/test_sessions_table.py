"""The session registry over either table: the app's clock decides idle and lifetime, in Redis as in
memory."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.shared_state.choice import SharedState, shared_state
from bot.shared_state.url import RedisAddress
from bot.web.sessions import SessionRegistry, SessionState
from tests.shared_state.conftest import SECRET, ManualClock, ttls

IDLE, MAX = 30 * 60.0, 8 * 3600.0


def registry(state: SharedState, clock: ManualClock) -> SessionRegistry:
    return SessionRegistry(IDLE, clock, max_seconds=MAX, table=state.sessions)


async def test_a_live_session_is_resumed_and_counts_as_activity(
    state: SharedState, clock: ManualClock
) -> None:
    sessions = registry(state, clock)
    sid = await sessions.begin(7, "stamp-1")
    clock.now += IDLE - 1
    assert await sessions.resume(sid) == (SessionState.LIVE, 7)
    clock.now += IDLE - 1  # idle measured from the last activity, not the start
    assert await sessions.resume(sid) == (SessionState.LIVE, 7)
    assert await sessions.stamp_of(sid) == "stamp-1"


async def test_the_app_clock_ends_an_idle_session(state: SharedState, clock: ManualClock) -> None:
    sessions = registry(state, clock)
    sid = await sessions.begin(7, "s")
    clock.now += IDLE + 1  # no real time passes: Redis's TTL has not run out, the stored times decide
    assert await sessions.resume(sid) == (SessionState.IDLE, 7)
    assert await sessions.resume(sid) == (SessionState.UNKNOWN, None)


async def test_the_app_clock_ends_a_session_past_its_lifetime(state: SharedState, clock: ManualClock) -> None:
    sessions = registry(state, clock)
    sid = await sessions.begin(7, "s")
    for _ in range(int(MAX // (IDLE - 60)) + 1):
        clock.now += IDLE - 60
        state_now, _user = await sessions.resume(sid)
    assert state_now is SessionState.EXPIRED


async def test_a_signed_out_session_stays_refused(state: SharedState, clock: ManualClock) -> None:
    sessions = registry(state, clock)
    sid = await sessions.begin(7, "s")
    assert await sessions.end(sid) == 7
    assert await sessions.end(sid) is None  # nothing done twice
    assert await sessions.resume(sid) == (SessionState.SIGNED_OUT, None)
    assert await sessions.stamp_of(sid) is None


async def test_restamp_keeps_the_session_under_the_new_password(
    state: SharedState, clock: ManualClock
) -> None:
    sessions = registry(state, clock)
    sid = await sessions.begin(7, "old")
    await sessions.restamp(sid, "new")
    assert await sessions.stamp_of(sid) == "new"


async def test_two_processes_share_sessions_through_redis(redis_port: int, redis_client: Redis) -> None:
    """Two registries, as two app processes would have, on one Redis: started on one, valid and ended on
    the other. Redis holds no session id and no name, and every key has a TTL."""
    clock = ManualClock()
    address = RedisAddress("127.0.0.1", redis_port, 1)
    first, second = shared_state(address, clock, SECRET), shared_state(address, clock, SECRET)
    a, b = registry(first, clock), registry(second, clock)
    sid = await a.begin(42, "stamp")
    assert await b.resume(sid) == (SessionState.LIVE, 42)
    keys = await redis_client.keys("bot:session:*")
    assert keys and all(sid.encode() not in key for key in keys)
    assert all(ttl > 0 for ttl in await ttls(redis_client, keys))
    values = [await redis_client.get(key) or b"" for key in keys]
    assert all(sid.encode() not in value for value in values)
    assert await b.end(sid) == 42
    assert await a.resume(sid) == (SessionState.SIGNED_OUT, None)
    assert all(ttl > 0 for ttl in await ttls(redis_client, await redis_client.keys("bot:session:*")))
    await first.close()
    await second.close()


async def test_a_resume_does_not_bring_back_a_session_ended_meanwhile(
    redis_port: int, redis_client: Redis
) -> None:
    clock = ManualClock()
    address = RedisAddress("127.0.0.1", redis_port, 1)
    first, second = shared_state(address, clock, SECRET), shared_state(address, clock, SECRET)
    sid = await registry(first, clock).begin(5, "s")
    live = await first.sessions.get(sid)
    assert live is not None
    await registry(second, clock).end(sid)
    await first.sessions.touch(sid, live, 60)  # a request on the first process, read before the sign-out
    assert await first.sessions.get(sid) is None
    await first.close()
    await second.close()
