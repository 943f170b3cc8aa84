"""Fixtures for the web app: a real SQLite store, a stand-in engine on a real port, and the app under test.

The stand-in engine is a real aiohttp server speaking the gateway channel's protocol (POST
/webhooks/gateway/webhook, Rasa's REST payload). It records every message it receives so tests can prove
what did and did not reach the engine. The real engine is exercised by the end-to-end tests, not here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.orm import Session, sessionmaker
from web_helpers import OTHER_PASSWORD, PASSWORD, FakeClock, FakeEngine, make_settings, sign_in

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app

HERE = Path(__file__).resolve().parent
# aiohttp-session 2.12 keeps its storage on the request under a plain string key; aiohttp 3.14 warns about
# that (and hides the warning itself outside -W error). The pyproject's `filterwarnings = error` turns it into
# a 500 inside the server, so ignore exactly that warning from exactly that library, for these tests.
AIOHTTP_SESSION_STRING_KEY = pytest.mark.filterwarnings(
    "ignore:It is recommended to use web.RequestKey:aiohttp.web.NotAppKeyWarning:aiohttp_session"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(AIOHTTP_SESSION_STRING_KEY)


@pytest.fixture
async def engine() -> AsyncIterator[FakeEngine]:
    fake = FakeEngine()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> Store:
    return Store(sessions)


@pytest.fixture
def user(store: Store) -> UserInfo:
    return store.users.create_user("alice", PASSWORD, "practitioner", "North team")


@pytest.fixture
def other_user(store: Store) -> UserInfo:
    return store.users.create_user("bob", OTHER_PASSWORD, "practitioner", "North team")


@pytest.fixture
def settings(tmp_path: Path, database_url: str, engine: FakeEngine) -> Settings:
    return make_settings(tmp_path, database_url, engine.port)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def client(settings: Settings, store: Store, clock: FakeClock) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(settings, store, clock=clock))) as test_client:
        yield test_client


@pytest.fixture
async def signed_in(client: TestClient, user: UserInfo) -> TestClient:
    await sign_in(client, "alice", PASSWORD)
    return client


@pytest.fixture
async def base_url(settings: Settings, store: Store, clock: FakeClock) -> AsyncIterator[str]:
    """The app on a real loopback port, for the browser tests."""
    server = TestServer(create_app(settings, store, clock=clock), host="127.0.0.1")
    await server.start_server()
    yield f"http://127.0.0.1:{server.port}"
    await server.close()
