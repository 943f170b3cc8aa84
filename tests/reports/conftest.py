"""A real migrated SQLite store with two teams, a coordinator, and concerns whose figures are known."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.reports.service import ReportService
from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.services import Store
from bot.web.app import create_app
from tests.reports.seeding import PASSWORD, Clock, at

PEOPLE = (
    ("north-practitioner", "practitioner", "North team"),
    ("north-lead", "lead", "North team"),
    ("north-trainer", "trainer", "North team"),
    ("north-admin", "admin", "North team"),
    ("coordinator", "coordinator", "North team"),
    ("south-practitioner", "practitioner", "South team"),
    ("south-lead", "lead", "South team"),
)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    factory = make_session_factory(database_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def people(sessions: sessionmaker[Session]) -> dict[str, UserInfo]:
    store = Store(sessions)
    return {name: store.users.create_user(name, PASSWORD, role, team) for name, role, team in PEOPLE}


@pytest.fixture
def clock() -> Clock:
    """When the report is made: the evening of 31 March 2026."""
    return Clock(at(2026, 3, 31, 18))


@pytest.fixture
def reports(sessions: sessionmaker[Session], bank: QuestionBank, clock: Clock) -> ReportService:
    return ReportService(sessions, bank, clock=clock)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.from_env(
        {
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_DATABASE_URL": database_url,
            "BOT_SERVICE_TOKEN": "reports-test-token",
            "BOT_SESSION_SECRET": "ab" * 32,
            "BOT_ENGINE_PORT": "9",
            "BOT_TOTP_REQUIRED": "false",  # tests/conftest.py says why
        }
    )


@pytest.fixture
async def client(settings: Settings, sessions: sessionmaker[Session]) -> AsyncIterator[TestClient]:
    app: web.Application = create_app(settings, Store(sessions))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.fixture
def postgres_sessions(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on this test's own PostgreSQL database (the run's server: tests/fixtures/postgres.py)."""
    factory = make_session_factory(postgres_url)
    yield factory
    factory.kw["bind"].dispose()
