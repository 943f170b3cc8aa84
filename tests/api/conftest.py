"""A tiny app with only the store's API routes, over a real migrated SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.api.routes import add_routes
from bot.settings import Settings
from bot.store.services import Store
from tests.fixtures.databases import MigratedSqlite, SessionsFor

TOKEN = "test-service-token-" + "7" * 20


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    env = {"BOT_DATA_DIR": str(tmp_path), "BOT_SERVICE_TOKEN": TOKEN, "BOT_SESSION_SECRET": "ab" * 32}
    return Settings.from_env(env)


@pytest.fixture
def service(settings: Settings, migrated_sqlite: MigratedSqlite, sqlite_sessions: SessionsFor) -> Store:
    assert migrated_sqlite(settings.data_dir / "store.db") == settings.database_url
    return Store(sqlite_sessions(settings.database_url))


@pytest.fixture
def app(service: Store, settings: Settings) -> web.Application:
    app = web.Application()
    add_routes(app, service.assessments, settings)
    return app


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app)) as client:
        yield client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def conversation(service: Store) -> str:
    return service.conversations.open_conversation(None, "web")
