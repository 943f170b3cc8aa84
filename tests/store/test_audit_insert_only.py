"""The audit trail is insert-only in the database itself (migration 0004), on both databases.

The ORM guard in bot/store/db.py stops the application's own objects from being changed; these tests show
that SQL which bypasses the ORM (a bulk statement, a hand-written UPDATE on the application's connection)
is refused by the database, leaves every row as it was, and does not stop new events being written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.store import db
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.builders import move

REFUSAL = "audit events are insert-only"
REFUSED_STATEMENTS = [
    "UPDATE audit_events SET action = 'rewritten'",
    "UPDATE audit_events SET detail = '{}' WHERE id = 1",
    "DELETE FROM audit_events WHERE id = 1",
    "DELETE FROM audit_events",  # SQLite's "truncate optimisation" must not skip the trigger
]
TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'",
    "postgresql": (
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"
    ),
}


def trail(sessions: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    # Columns named, not the whole entity: the trail is read at revision 0003 too, before the chain's columns.
    columns = (AuditEvent.id, AuditEvent.at, AuditEvent.actor_kind, AuditEvent.actor_id, AuditEvent.action)
    with sessions() as session:
        rows = session.execute(
            select(*columns, AuditEvent.assessment_id, AuditEvent.detail).order_by(AuditEvent.id)
        ).all()
        return [tuple(row) for row in rows]


def app_engine(sessions: sessionmaker[Session]) -> Engine:
    """The engine the services use: the application's own connections, with all its rights."""
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def triggers(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text(TRIGGERS[engine.dialect.name])).scalars())


@pytest.fixture
def audited(service: Store, started: str, practitioner: UserInfo) -> str:
    """A few audit events of different kinds (user, team, conversation, assessment)."""
    move(service, started, "q2")
    service.assessments.submit(started)
    return started


@pytest.mark.parametrize("statement", REFUSED_STATEMENTS)
def test_raw_sql_on_the_application_connection_is_refused(
    audited: str, sessions: sessionmaker[Session], statement: str
) -> None:
    before = trail(sessions)
    assert len(before) >= 5
    with pytest.raises(DBAPIError, match=REFUSAL), app_engine(sessions).begin() as connection:
        connection.execute(text(statement))
    assert trail(sessions) == before


def test_bulk_orm_statements_bypass_the_orm_guard_but_not_the_database(
    audited: str, sessions: sessionmaker[Session]
) -> None:
    before = trail(sessions)
    with pytest.raises(DBAPIError, match=REFUSAL), sessions.begin() as session:
        session.execute(update(AuditEvent).values(action="rewritten"))
    with pytest.raises(DBAPIError, match=REFUSAL), sessions.begin() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.action == "assessment.submitted"))
    assert trail(sessions) == before


def test_the_orm_guard_refuses_before_the_database_is_asked(
    audited: str, sessions: sessionmaker[Session]
) -> None:
    before = trail(sessions)
    with sessions() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
        assert event is not None
        event.action = "rewritten"
        with pytest.raises(RuntimeError, match="insert-only"):
            session.flush()
    with sessions() as session:
        session.delete(session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first())
        with pytest.raises(RuntimeError, match="insert-only"):
            session.flush()
    assert trail(sessions) == before


def test_truncate_is_refused_on_postgresql(
    audited: str, sessions: sessionmaker[Session], backend: str
) -> None:
    """SQLite has no TRUNCATE (a DELETE without WHERE is its nearest); PostgreSQL's has its own trigger."""
    before = trail(sessions)
    statement = "TRUNCATE audit_events" if backend == "postgresql" else "DELETE FROM audit_events"
    with pytest.raises(DBAPIError, match=REFUSAL), app_engine(sessions).begin() as connection:
        connection.execute(text(statement))
    assert trail(sessions) == before


def test_new_events_are_still_written_after_a_refusal(
    audited: str,
    service: Store,
    practitioner: UserInfo,
    sessions: sessionmaker[Session],
    audit_actions: Callable[[], list[str]],
) -> None:
    before = trail(sessions)
    with pytest.raises(DBAPIError, match=REFUSAL), app_engine(sessions).begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))
    service.conversations.open_conversation(practitioner.id, "web")
    after = trail(sessions)
    assert after[: len(before)] == before
    assert [row[4] for row in after[len(before) :]] == ["conversation.opened"]
    assert audit_actions()[-1] == "conversation.opened"


def test_downgrade_below_0004_lifts_the_guard_and_upgrading_restores_it(
    audited: str, database_url: str, sessions: sessionmaker[Session]
) -> None:
    engine = db.make_engine(database_url, enforce_foreign_keys=False)
    guarded = triggers(engine)
    assert guarded  # two on SQLite (update, delete), two on PostgreSQL (rows, truncate)
    before = trail(sessions)

    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "0003")
    assert db.current_revision(database_url) == "0003"
    assert triggers(engine) == set()
    assert trail(sessions) == before  # the trail itself survives the downgrade
    with engine.connect() as connection:  # nothing refuses a change now (rolled back, not kept)
        transaction = connection.begin()
        changed = connection.execute(text("UPDATE audit_events SET action = 'rewritten'")).rowcount
        transaction.rollback()
    assert changed == len(before)

    db.upgrade(database_url)
    assert db.is_up_to_date(database_url)
    assert triggers(engine) == guarded
    engine.dispose()
    with pytest.raises(DBAPIError, match=REFUSAL), app_engine(sessions).begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'rewritten'"))
    assert trail(sessions) == before
