"""Fixtures for the review pages: a real migrated SQLite store, the real app, and people on two teams.

North and South are two teams; each has a practitioner, a lead, a trainer and an admin. Cases are made
through the store service, as the action server makes them, and read through the real pages after signing in
through the real sign-in form.

Why the people and cases come from a seeded template: 219 review tests each made the same eleven people
and six cases through the store (about 0.35 s a test, a fifth of the quick lane's review time). They are
now made the same way once per worker, in a copy of the migrated template, and each test gets its own copy
of that file (`database_url` below), so every test still starts from exactly the same rows and changes only
its own file. A module that names its own `database_url` (both backends) still makes them per test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from review_helpers import LAYER, LAYERS, Case, make_case, make_user, sign_in
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.databases import MigratedSqlite, copy_template
from tests.fixtures.seeded_templates import seed_template

ROLES = ("practitioner", "lead", "trainer", "coordinator", "admin")


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> Store:
    return Store(sessions)


def _make_people(store: Store) -> dict[str, UserInfo]:
    users = {
        f"{team.lower()}-{role}": make_user(store, f"{team.lower()}-{role}", role, f"{team} team")
        for team in ("North", "South")
        for role in ROLES
    }
    users["north-colleague"] = make_user(store, "north-colleague", "practitioner", "North team")
    return users


def _make_cases(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> dict[str, Case]:
    north, south = people["north-practitioner"], people["south-practitioner"]
    return {
        "north-live": make_case(store, bank, north, urgent=True),
        "north-rehearsal": make_case(store, bank, north, mode="rehearsal"),
        "north-in-progress": make_case(store, bank, north, submit=False),
        "north-colleague-live": make_case(store, bank, people["north-colleague"]),
        "south-live": make_case(store, bank, south),
        "south-rehearsal": make_case(store, bank, south, mode="rehearsal"),
    }


@dataclass
class Seeds:
    """Migrated SQLite files, never opened by tests: the people, the people with the cases, and any layer
    (`LAYERS`) on either, made when a test first asks for it."""

    folder: Path
    bank: QuestionBank
    people_file: Path
    cases_file: Path
    people: dict[str, UserInfo]
    cases: dict[str, Case]
    layers: dict[tuple[str, bool], tuple[Path, dict[str, Case]]] = field(default_factory=dict)

    def layer(self, name: str, with_cases: bool) -> tuple[Path, dict[str, Case]]:
        key = (name, with_cases)
        if key not in self.layers:
            source = self.cases_file if with_cases else self.people_file
            target = self.folder / f"{name}-{'cases' if with_cases else 'people'}.db"
            build = LAYERS[name]
            made = seed_template(
                source, target, lambda sessions: build(Store(sessions), self.bank, self.people)
            )
            self.layers[key] = (target, made)
        return self.layers[key]


_SEEDS = pytest.StashKey[Seeds]()


@pytest.fixture(scope="session")
def review_seeds(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, bank: QuestionBank
) -> Seeds:
    folder = tmp_path_factory.mktemp("review-seeds")
    people_file, cases_file = folder / "people.db", folder / "cases.db"
    people = seed_template(sqlite_template, people_file, lambda sessions: _make_people(Store(sessions)))
    cases = seed_template(
        people_file, cases_file, lambda sessions: _make_cases(Store(sessions), bank, people)
    )
    return Seeds(folder, bank, people_file, cases_file, people, cases)


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite: MigratedSqlite, request: pytest.FixtureRequest) -> str:
    """This test's own SQLite file: a copy of the seeded people (and cases, and a layer, if the test uses
    them), or of the bare migrated template when it uses none."""
    names = request.fixturenames
    if "people" not in names:
        return migrated_sqlite(tmp_path / "store.db")
    seeds: Seeds = request.getfixturevalue("review_seeds")
    request.node.stash[_SEEDS] = seeds
    source = seeds.cases_file if "cases" in names else seeds.people_file
    used = [name for name in LAYERS if name in names]
    if used:
        (name,) = used  # one layer a test: each is one module's
        source, request.node.stash[LAYER] = seeds.layer(name, "cases" in names)
    return copy_template(source, tmp_path / "store.db")


@pytest.fixture
def people(store: Store, request: pytest.FixtureRequest) -> dict[str, UserInfo]:
    """`north-lead`, `south-practitioner`, ...: every role on both teams, plus a second North practitioner."""
    seeds = request.node.stash.get(_SEEDS, None)
    return dict(seeds.people) if seeds is not None else _make_people(store)


@pytest.fixture
def cases(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], request: pytest.FixtureRequest
) -> dict[str, Case]:
    seeds = request.node.stash.get(_SEEDS, None)
    return dict(seeds.cases) if seeds is not None else _make_cases(store, bank, people)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # The engine port is never reached by these tests except by the chat routes in the access matrix,
    # which only need an answer (an unreachable engine is one).
    return Settings.from_env(
        {
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_DATABASE_URL": database_url,
            "BOT_ENGINE_PORT": "9",
            "BOT_TOTP_REQUIRED": "false",  # tests/conftest.py says why
        }
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
