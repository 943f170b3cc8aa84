"""Issue #30: the sign-in limits. Guessing at a colleague's name from one address never locks them out from
another; one address sweeping many names waits; and a ceiling of password checks per second refuses a flood
at once (429) without hashing, so it cannot queue real sign-ins. Real app, real store, the app's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from web_helpers import PASSWORD, FakeClock, FakeEngine, csrf_from, make_settings, page

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.web.app import create_app
from bot.web.auth import ADDRESS_LOCKED_MESSAGE, BUSY_MESSAGE, LOCKED_MESSAGE
from bot.web.sign_in_limits import MAX_ADDRESS_FAILURES, MAX_FAILURES

GUESSER = "203.0.113.5"
COLLEAGUE = "198.51.100.7"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def behind_proxy(
    tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, clock: FakeClock, **env: str
) -> AsyncIterator[TestClient]:
    """The app behind our own proxy (the test client's 127.0.0.1), so X-Forwarded-For names the client."""
    settings = make_settings(tmp_path, database_url, engine.port, BOT_TRUSTED_PROXIES="127.0.0.1/32", **env)
    async with TestClient(TestServer(create_app(settings, store, clock=clock))) as client:
        yield client


@pytest.fixture
async def proxied(tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, clock: FakeClock):
    # A ceiling high enough to stay out of the way of the per-account and per-address counts.
    async for client in behind_proxy(
        tmp_path, database_url, engine, store, clock, BOT_SIGN_IN_CHECKS_PER_SECOND="1000"
    ):
        yield client


@pytest.fixture
async def ceiling_of_3(tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, clock: FakeClock):
    async for client in behind_proxy(
        tmp_path, database_url, engine, store, clock, BOT_SIGN_IN_CHECKS_PER_SECOND="3"
    ):
        yield client


async def attempt(client: TestClient, username: str, password: str, address: str) -> tuple[int, str]:
    token = csrf_from(await page(client, "/sign-in"))
    response = await client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        headers={"X-Forwarded-For": address},
        allow_redirects=False,
    )
    body = await response.text()
    if response.status == 303:
        await client.post("/sign-out", data={"csrf_token": csrf_from(await page(client, "/chat"))})
    return response.status, body


def failed_checks(store: Store) -> int:
    """Password checks that failed: each one is audited by the store, so this counts hashes done."""
    action = AuditAction.USER_SIGN_IN_FAILED.value
    with store.session_factory() as session:
        return session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0


async def test_a_name_guessed_at_20_times_from_one_address_signs_in_from_another(
    proxied: TestClient, user: UserInfo, store: Store
) -> None:
    statuses = [(await attempt(proxied, "alice", f"guess {n}", GUESSER))[0] for n in range(20)]
    assert statuses == [400] * MAX_FAILURES + [429] * (20 - MAX_FAILURES)
    assert failed_checks(store) == MAX_FAILURES  # the held-back guesses were never hashed

    assert (await attempt(proxied, "alice", PASSWORD, COLLEAGUE))[0] == 303  # alice, at her own desk
    status, body = await attempt(proxied, "alice", PASSWORD, GUESSER)
    assert (status, LOCKED_MESSAGE in body) == (429, True)  # the guesser's address still waits


async def test_one_address_sweeping_many_names_waits(
    proxied: TestClient, user: UserInfo, store: Store, clock: FakeClock
) -> None:
    for n in range(MAX_ADDRESS_FAILURES):
        assert (await attempt(proxied, f"name{n}", "a guess", GUESSER))[0] == 400
    status, body = await attempt(proxied, "alice", PASSWORD, GUESSER)
    assert (status, ADDRESS_LOCKED_MESSAGE in body) == (429, True)
    assert (await attempt(proxied, "alice", PASSWORD, COLLEAGUE))[0] == 303
    clock.advance(5 * 60 + 1)
    assert (await attempt(proxied, "alice", PASSWORD, GUESSER))[0] == 303


async def test_over_the_ceiling_of_checks_a_second_is_refused_at_once_without_hashing(
    ceiling_of_3: TestClient, user: UserInfo, store: Store, clock: FakeClock
) -> None:
    flood = [f"192.0.2.{n}" for n in range(1, 8)]  # each address fails once: no other count is reached
    results = [await attempt(ceiling_of_3, "alice", "a guess", address) for address in flood]
    assert [status for status, _ in results] == [400] * 3 + [429] * 4
    assert all(BUSY_MESSAGE in body for _, body in results[3:])
    assert failed_checks(store) == 3  # only the three within the ceiling were hashed

    status, body = await attempt(ceiling_of_3, "alice", PASSWORD, COLLEAGUE)
    assert (status, BUSY_MESSAGE in body) == (429, True)  # this second's checks are spent
    clock.advance(1.01)
    assert (await attempt(ceiling_of_3, "alice", PASSWORD, COLLEAGUE))[0] == 303
