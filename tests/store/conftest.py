"""Fixtures for the store tests: every test runs twice, on a SQLite file and on a real PostgreSQL server.

`backend` is parametrised over both, so test ids end in `[sqlite]` or `[postgresql]` (`-k sqlite` runs one
side only, and never starts PostgreSQL). Each test gets its own fresh, migrated database:

- SQLite: a new file in the test's tmp_path, a copy of one file upgraded once per session by the real
  migrations (tests/fixtures/databases.py); `databases.create(migrated=False)` gives an empty one;
- PostgreSQL: the run's one throwaway server and its migrated template (tests/fixtures/postgres.py, loopback
  only), a `CREATE DATABASE ... TEMPLATE` copy per test (tens of milliseconds), dropped afterwards. The
  drop does not force: a test that leaves a connection open fails at teardown, naming the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import AnswerIn, UserInfo
from bot.store.models import AuditEvent, Base
from bot.store.services import Store
from tests.fixtures.clocks import Clock  # moved by hand, so 'the first flag time is kept' is checked exactly
from tests.fixtures.databases import MigratedSqlite
from tests.fixtures.postgres import PostgresDatabases

PASSWORD = "correct horse battery staple"
BACKENDS = ("sqlite", "postgresql")


class Databases:
    """Makes databases for one test (or one module) on its backend and removes them afterwards."""

    def __init__(
        self,
        backend: str,
        folder: Path,
        postgres: Callable[[], PostgresDatabases],
        sqlite: Callable[[], MigratedSqlite],
    ) -> None:
        self.backend = backend
        self._folder = folder
        self._get_postgres = postgres
        self._get_sqlite = sqlite
        self._postgres: PostgresDatabases | None = None
        self._made: list[str] = []

    def create(self, *, migrated: bool = True) -> str:
        """The URL of a new database: at the head revision, or with no schema at all (`migrated=False`)."""
        if self.backend == "sqlite":
            path = self._folder / f"store-{len(self._made) + 1}.db"
            url = self._get_sqlite()(path) if migrated else f"sqlite:///{path}"
        else:
            if self._postgres is None:
                self._postgres = self._get_postgres()
            url = self._postgres.create(migrated=migrated)
        self._made.append(url)
        return url

    def remove_all(self) -> None:
        if self._postgres is not None:
            for url in self._made:
                self._postgres.drop(url)
        self._made.clear()  # SQLite files go with the tmp folder


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Session-scoped so that pytest runs every SQLite test, then every PostgreSQL one."""
    return str(request.param)


def _databases(backend: str, folder: Path, request: pytest.FixtureRequest) -> Databases:
    # The server is asked for only when a PostgreSQL database is, so `-k sqlite` never starts one (and the
    # SQLite template is made only when a migrated SQLite database is).
    return Databases(
        backend,
        folder,
        lambda: request.getfixturevalue("postgres_databases"),
        lambda: request.getfixturevalue("migrated_sqlite"),
    )


@pytest.fixture
def databases(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Databases]:
    made = _databases(backend, tmp_path, request)
    yield made
    made.remove_all()


@pytest.fixture(scope="module")
def module_databases(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Databases]:
    """For module-scoped stores (property tests that add rows to one assessment rather than one per case)."""
    made = _databases(backend, tmp_path_factory.mktemp(f"store-{backend}"), request)
    yield made
    made.remove_all()


@pytest.fixture
def database_url(databases: Databases) -> str:
    return databases.create()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(sessions: sessionmaker[Session], clock: Clock) -> Store:
    return Store(sessions, clock=clock)


@pytest.fixture
def practitioner(service: Store) -> UserInfo:
    return service.users.create_user("pat.smith", PASSWORD, "practitioner", "North Team")


@pytest.fixture
def conversation(service: Store, practitioner: UserInfo) -> str:
    return service.conversations.open_conversation(practitioner.id, "web")


@pytest.fixture
def started(service: Store, conversation: str) -> str:
    """A conversation with an assessment in progress; returns the conversation id."""
    service.assessments.start_or_resume(conversation, "2026.1")
    return conversation


@pytest.fixture
def count_rows(sessions: sessionmaker[Session]) -> Callable[[str], int]:
    def count(table: str) -> int:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(Base.metadata.tables[table])) or 0

    return count


@pytest.fixture
def audit_actions(sessions: sessionmaker[Session]) -> Callable[[], list[str]]:
    def actions() -> list[str]:
        with sessions() as session:
            return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))

    return actions


def make_answer(
    question_id: str = "q1", revision: int = 1, text: str = "He said it twice.", **changes: object
) -> AnswerIn:
    fields: dict[str, object] = {
        "question_id": question_id,
        "revision": revision,
        "wording": "What did the young person say or do?",
        "text": text,
        "value": text,
        "status": "answered",
        "source": None,
        "fact_date": None,
    }
    fields.update(changes)
    return AnswerIn(**fields)  # type: ignore[arg-type]


@pytest.fixture(name="answer")
def answer_factory() -> Callable[..., AnswerIn]:
    return make_answer
