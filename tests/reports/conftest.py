"""A real migrated SQLite store with two teams, a coordinator, and concerns whose figures are known.

Why the people and a module's concerns come from seeded templates: most report tests made the same seven
people and then their module's same 10 to 30 concerns (its `SEED`) through the store before doing anything
(about half of this folder's time). They are now made the same way, by the same functions with the same
fixed clocks, once per worker, in a copy of the migrated template (`ReportSeeds`), and each test gets its
own copy of that file (`database_url` below): the same rows, ids and timestamps as before, in a file only
it changes. A module that names its own `database_url` (both backends) still makes them per test, and the
PostgreSQL twins of the SQLite tests still seed their own database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
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
from tests.fixtures.databases import MigratedSqlite, copy_template
from tests.fixtures.seeded_templates import seed_template
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


# A module's seed: its concerns (and anything else every test of it starts from), made on top of the people.
Seed = Callable[[sessionmaker[Session], QuestionBank, dict[str, UserInfo]], object]


def make_people(sessions: sessionmaker[Session]) -> dict[str, UserInfo]:
    store = Store(sessions)
    return {name: store.users.create_user(name, PASSWORD, role, team) for name, role, team in PEOPLE}


@dataclass
class ReportSeeds:
    """Per worker: a file with the people, and one per module seed on top of it, made when first asked for.
    Tests never open these files; they get copies."""

    folder: Path
    bank: QuestionBank
    people_file: Path
    people: dict[str, UserInfo]
    seed_files: dict[Seed, Path] = field(default_factory=dict)

    def file_for(self, seed: Seed | None) -> Path:
        if seed is None:
            return self.people_file
        if seed not in self.seed_files:
            path = self.folder / f"{seed.__module__.rsplit('.', 1)[-1]}.{seed.__name__}.db"
            people = dict(self.people)
            seed_template(self.people_file, path, lambda sessions: seed(sessions, self.bank, people))
            self.seed_files[seed] = path
        return self.seed_files[seed]


@pytest.fixture(scope="session")
def report_seeds(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, bank: QuestionBank
) -> ReportSeeds:
    folder = tmp_path_factory.mktemp("report-seeds")
    people_file = folder / "people.db"
    return ReportSeeds(folder, bank, people_file, seed_template(sqlite_template, people_file, make_people))


@dataclass(frozen=True)
class Copied:
    """What this test's copy already holds: the people, and whether its module's seed too."""

    people: dict[str, UserInfo]
    seeded: bool


_COPIED = pytest.StashKey[Copied]()


def module_seed(request: pytest.FixtureRequest) -> Seed:
    seed: Seed | None = getattr(request.module, "SEED", None)
    if seed is None:
        raise LookupError(f"{request.module.__name__} uses `seeded` but names no SEED function")
    return seed


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite: MigratedSqlite, request: pytest.FixtureRequest) -> str:
    """This test's own SQLite file: a copy of the seeded people (with its module's SEED, if the test uses
    `seeded`), or of the bare migrated template when it uses neither."""
    names = request.fixturenames
    if "people" not in names:
        return migrated_sqlite(tmp_path / "store.db")
    seeds: ReportSeeds = request.getfixturevalue("report_seeds")
    seeded = "seeded" in names
    request.node.stash[_COPIED] = Copied(seeds.people, seeded)
    return copy_template(seeds.file_for(module_seed(request) if seeded else None), tmp_path / "store.db")


@pytest.fixture
def people(sessions: sessionmaker[Session], request: pytest.FixtureRequest) -> dict[str, UserInfo]:
    """The seven people of `PEOPLE`, by username."""
    copied = request.node.stash.get(_COPIED, None)
    return dict(copied.people) if copied is not None else make_people(sessions)


@pytest.fixture
def seeded(
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    people: dict[str, UserInfo],
    request: pytest.FixtureRequest,
) -> None:
    """The store holds the module's `SEED`: already, in the copy `database_url` made, or made now when the
    module names its own `database_url`."""
    copied = request.node.stash.get(_COPIED, None)
    if copied is None or not copied.seeded:
        module_seed(request)(sessions, bank, people)


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
