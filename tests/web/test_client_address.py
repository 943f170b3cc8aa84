"""Issue #30: the client's address (for the sign-in limiter and audit details) comes from X-Forwarded-For
only when the direct peer is one of BOT_TRUSTED_PROXIES; from anyone else the header is ignored, so it cannot
be used to dodge the sign-in limit. Through the real app and its real sign-in limiter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import ip_network
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_helpers import FakeClock, FakeEngine, csrf_from, make_settings, page

from bot.domain.records import UserInfo
from bot.store.services import Store
from bot.web.app import create_app
from bot.web.client_address import forwarded_client
from bot.web.sign_in_limits import MAX_FAILURES


async def app_client(
    tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, **env: str
) -> AsyncIterator[TestClient]:
    settings = make_settings(tmp_path, database_url, engine.port, **env)
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as client:
        yield client


@pytest.fixture
async def untrusted(tmp_path: Path, database_url: str, engine: FakeEngine, store: Store) -> AsyncIterator:
    # The test client's peer is 127.0.0.1, which is not in this list.
    async for client in app_client(tmp_path, database_url, engine, store, BOT_TRUSTED_PROXIES="10.0.0.0/8"):
        yield client


@pytest.fixture
async def trusted(tmp_path: Path, database_url: str, engine: FakeEngine, store: Store) -> AsyncIterator:
    async for client in app_client(tmp_path, database_url, engine, store, BOT_TRUSTED_PROXIES="127.0.0.1/32"):
        yield client


async def wrong_password(client: TestClient, forwarded_for: str) -> int:
    token = csrf_from(await page(client, "/sign-in"))
    response = await client.post(
        "/sign-in",
        data={"username": "alice", "password": "not the password", "csrf_token": token},
        headers={"X-Forwarded-For": forwarded_for},
        allow_redirects=False,
    )
    return response.status


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(untrusted: TestClient, user: UserInfo) -> None:
    statuses = [await wrong_password(untrusted, f"203.0.113.{n}") for n in range(MAX_FAILURES)]
    assert statuses == [400] * MAX_FAILURES
    # A new made-up address each time changed nothing: every attempt counted against the real peer.
    assert await wrong_password(untrusted, "198.51.100.7") == 429


async def test_forwarded_for_from_a_trusted_proxy_is_used(trusted: TestClient, user: UserInfo) -> None:
    statuses = [await wrong_password(trusted, "203.0.113.5") for _ in range(MAX_FAILURES)]
    assert statuses == [400] * MAX_FAILURES
    assert await wrong_password(trusted, "203.0.113.5") == 429  # that client is held back
    assert await wrong_password(trusted, "198.51.100.7") == 400  # a colleague elsewhere is not


PROXIES = (ip_network("10.0.0.0/24"), ip_network("2001:db8::/32"))


@pytest.mark.parametrize(
    ("peer", "headers", "client"),
    [
        ("192.0.2.1", ["203.0.113.5"], "192.0.2.1"),  # not a proxy of ours: the header is anyone's
        ("10.0.0.2", ["203.0.113.5"], "203.0.113.5"),
        ("10.0.0.2", [], "10.0.0.2"),
        # A client can put anything on the left; the chain is read from the right past our own proxies.
        ("10.0.0.2", ["1.2.3.4, 203.0.113.5, 10.0.0.9"], "203.0.113.5"),
        ("10.0.0.2", ["1.2.3.4", "203.0.113.5"], "203.0.113.5"),  # the header sent twice
        ("10.0.0.2", ["not-an-address"], "10.0.0.2"),
        ("10.0.0.2", ["203.0.113.5, garbage, 10.0.0.3"], "10.0.0.3"),
        ("2001:db8::1", ["2001:db9::5"], "2001:db9::5"),
        ("unknown", ["203.0.113.5"], "unknown"),
    ],
)
def test_forwarded_chain(peer: str, headers: list[str], client: str) -> None:
    assert forwarded_client(peer, headers, PROXIES) == client


def test_no_trusted_proxies_means_the_peer() -> None:
    assert forwarded_client("127.0.0.1", ["203.0.113.5"], ()) == "127.0.0.1"
