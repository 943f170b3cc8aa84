"""Fixtures for the review pages: a real migrated SQLite store, the real app, and people on two teams.

North and South are two teams; each has a practitioner, a lead, a trainer and an admin. Cases are made
through the store service, as the action server makes them, and read through the real pages after signing in
through the real sign-in form.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from review_helpers import Case, make_case, make_user, sign_in
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store.db import make_session_factory
from bot.store.services import Store
from bot.web.app import create_app

ROLES = ("practitioner", "lead", "trainer", "coordinator", "admin")


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    factory = make_session_factory(database_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> Store:
    return Store(sessions)


@pytest.fixture
def people(store: Store) -> dict[str, UserInfo]:
    """`north-lead`, `south-practitioner`, ...: every role on both teams, plus a second North practitioner."""
    users = {
        f"{team.lower()}-{role}": make_user(store, f"{team.lower()}-{role}", role, f"{team} team")
        for team in ("North", "South")
        for role in ROLES
    }
    users["north-colleague"] = make_user(store, "north-colleague", "practitioner", "North team")
    return users


@pytest.fixture
def cases(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> dict[str, Case]:
    north, south = people["north-practitioner"], people["south-practitioner"]
    return {
        "north-live": make_case(store, bank, north, urgent=True),
        "north-rehearsal": make_case(store, bank, north, mode="rehearsal"),
        "north-in-progress": make_case(store, bank, north, submit=False),
        "north-colleague-live": make_case(store, bank, people["north-colleague"]),
        "south-live": make_case(store, bank, south),
        "south-rehearsal": make_case(store, bank, south, mode="rehearsal"),
    }


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # The engine port is never reached by these tests except by the chat routes in the access matrix,
    # which only need an answer (an unreachable engine is one).
    return Settings.from_env(
        {"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DATABASE_URL": database_url, "BOT_ENGINE_PORT": "9"}
    )


@pytest.fixture
def app(settings: Settings, store: Store) -> web.Application:
    return create_app(settings, store)


# The real app on a loopback port, for the browser tests (one server per test, its own data).
@pytest.fixture
async def base_url(app: web.Application) -> AsyncIterator[str]:
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield f"http://127.0.0.1:{server.port}"
    await server.close()


@pytest.fixture
async def client(app: web.Application) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.fixture
def as_user(client: TestClient) -> Callable[[str | None], Awaitable[TestClient]]:
    """`await as_user("north-lead")`: the client, signed in afresh as that person (None: nobody)."""

    async def switch(username: str | None) -> TestClient:
        client.session.cookie_jar.clear()
        if username is not None:
            await sign_in(client, username)
        return client

    return switch
