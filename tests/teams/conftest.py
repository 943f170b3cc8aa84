"""Fixtures for the Teams channel: the real app on a real SQLite store, with Microsoft's side played by real
loopback servers (keys authority, Bot Connector with its token endpoint) and a stand-in engine.

The web tests' helpers (stand-in engine, sign-in, chat posts) are shared so the cross-channel tests drive the
web page exactly as the web tests do.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.orm import Session, sessionmaker
from teams_helpers import AAD_OBJECT_ID, KID, TENANT, Authority, Connector, Minter, Post, jwk, new_key

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
from web_helpers import PASSWORD, FakeClock, FakeEngine, make_settings


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return new_key()


@pytest.fixture
async def authority(signing_key: rsa.RSAPrivateKey) -> AsyncIterator[Authority]:
    server = Authority()
    server.keys = [jwk(signing_key, KID, ["msteams"])]
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def connector() -> AsyncIterator[Connector]:
    server = Connector()
    await server.start()
    yield server
    await server.stop()


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
    alice = store.users.create_user("alice", PASSWORD, "practitioner", "North team")
    store.teams.link_teams_user(alice.id, TENANT, AAD_OBJECT_ID)
    return alice


def teams_env(authority: Authority, connector: Connector) -> dict[str, str]:
    return {
        "BOT_TEAMS_APP_ID": "00000000-0000-4000-8000-00000000a99d",
        "BOT_TEAMS_APP_PASSWORD": "test-client-secret",
        "BOT_TEAMS_TENANT_IDS": f"{TENANT}, 22222222-2222-4333-8444-555555555555",
        "BOT_TEAMS_OPENID_URL": f"{authority.url}/openid",
        "BOT_TEAMS_TOKEN_URL_TEMPLATE": f"{connector.url}/{{tenant}}/oauth2/v2.0/token",
    }


@pytest.fixture
def settings(
    tmp_path: Path, database_url: str, engine: FakeEngine, authority: Authority, connector: Connector
) -> Settings:
    return make_settings(tmp_path, database_url, engine.port, **teams_env(authority, connector))


@pytest.fixture
async def client(settings: Settings, store: Store) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as test_client:
        yield test_client


@pytest.fixture
def minter(signing_key: rsa.RSAPrivateKey, connector: Connector) -> Minter:
    return Minter(signing_key, connector.url)


@pytest.fixture
def post(client: TestClient, minter: Minter) -> Post:
    """Post an Activity to /api/messages with a good token (or the `token` given) and return the response."""

    async def post_(activity: Any, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or minter.token()}"}
        return await client.post("/api/messages", json=activity, headers=headers)

    return post_
