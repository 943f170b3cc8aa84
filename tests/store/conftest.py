"""Fixtures for the store tests: a real, migrated SQLite file per test and a service over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store import db
from bot.store.models import AuditEvent, Base
from bot.store.records import AnswerIn, UserInfo
from bot.store.services import StoreService

PASSWORD = "correct horse battery staple"


class Clock:
    """A clock the test moves by hand, so that 'the first flag time is kept' can be checked exactly."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    db.upgrade(url)
    return url


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    factory = db.make_session_factory(database_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(sessions: sessionmaker[Session], clock: Clock) -> StoreService:
    return StoreService(sessions, clock=clock)


@pytest.fixture
def practitioner(service: StoreService) -> UserInfo:
    return service.create_user("pat.smith", PASSWORD, "practitioner", "North Team")


@pytest.fixture
def conversation(service: StoreService, practitioner: UserInfo) -> str:
    return service.open_conversation(practitioner.id, "web")


@pytest.fixture
def started(service: StoreService, conversation: str) -> str:
    """A conversation with an assessment in progress; returns the conversation id."""
    service.start_or_resume(conversation, "2026.1")
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
