"""What only PostgreSQL (production's database) can show: its column types, its server, and NUL.

Every other store test runs on PostgreSQL too (the `backend` fixture in conftest.py): the concurrent-writer
races in test_concurrency.py run for real there, and the migrations are compared with the models on it in
test_migrations.py. This module holds the checks that have no SQLite counterpart.

PostgreSQL refuses to store NUL characters in text (SQLite keeps them), so any NUL that reached the server
would be a server error; the store must refuse it first with a ValidationError. (A NUL in an id or name
that is only looked up: test_unstorable_lookups.py, on both databases.)
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ValidationError
from bot.domain.records import AnswerIn, ChatMessage
from bot.store import db
from bot.store.services import Store
from tests.builders import give_answer, report_danger

COLUMN_TYPES = """
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> 'alembic_version'
"""
NUL = "a\x00b"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def pg_sessions(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    factory = db.make_session_factory(postgres_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def pg_service(pg_sessions: sessionmaker[Session]) -> Store:
    return Store(pg_sessions)


def test_the_server_is_postgresql_15_on_loopback_only(postgres_url: str) -> None:
    engine = db.make_engine(postgres_url)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version_num")).scalar_one()
        addresses = connection.execute(text("SHOW listen_addresses")).scalar_one()
        sockets = connection.execute(text("SHOW unix_socket_directories")).scalar_one()
        encoding = connection.execute(text("SHOW server_encoding")).scalar_one()
    engine.dispose()
    assert 150000 <= int(version) < 160000
    assert (addresses, sockets, encoding) == ("127.0.0.1", "", "UTF8")


def test_free_text_is_unlimited_text_and_times_carry_their_zone(postgres_url: str) -> None:
    engine = db.make_engine(postgres_url)
    with engine.connect() as connection:
        columns = {(t, c): kind for t, c, kind in connection.execute(text(COLUMN_TYPES))}
    engine.dispose()
    for column in [
        ("answers", "text"),
        ("answers", "wording"),
        ("answers", "source"),
        ("urgent_flags", "message"),
    ]:
        assert columns[column] == "text", column
    assert columns[("chat_messages", "text")] == "text"
    times = {key: kind for key, kind in columns.items() if key[1] == "at" or key[1].endswith("_at")}
    assert len(times) >= 10
    assert {key: kind for key, kind in times.items() if kind != "timestamp with time zone"} == {}


def test_nul_in_anything_written_is_a_validation_error(pg_service: Store) -> None:
    user = pg_service.users.create_user("pg.user", PASSWORD, "practitioner", "PG Team")
    conversation = pg_service.conversations.open_conversation(user.id, "web")
    pg_service.assessments.start_or_resume(conversation, "2026.1")
    refused = [
        lambda: give_answer(
            pg_service,
            conversation,
            AnswerIn(question_id="q1", revision=1, wording="W", text=NUL, value=None, status="answered"),
        ),
        lambda: give_answer(
            pg_service,
            conversation,
            AnswerIn(
                question_id="q1", revision=1, wording="W", text="ok", value={"k": NUL}, status="answered"
            ),
        ),
        lambda: give_answer(
            pg_service,
            conversation,
            AnswerIn(question_id="q1", revision=1, wording="W", text="ok", value={NUL: 1}, status="answered"),
        ),
        lambda: give_answer(
            pg_service,
            conversation,
            AnswerIn(question_id="q1", revision=1, wording=NUL, text="ok", value=None, status="answered"),
        ),
        lambda: give_answer(
            pg_service,
            conversation,
            AnswerIn(
                question_id="q1",
                revision=1,
                wording="W",
                text="ok",
                value=None,
                status="answered",
                source=NUL,
            ),
        ),
        lambda: report_danger(pg_service, conversation, NUL),
        lambda: pg_service.conversations.append_chat_messages(conversation, [ChatMessage("in", NUL)]),
        lambda: pg_service.conversations.append_chat_messages(
            conversation, [ChatMessage("out", "ok", [{"title": NUL, "payload": "/x"}])]
        ),
        lambda: pg_service.users.create_user("other", PASSWORD + NUL, "lead", "PG Team"),
        lambda: pg_service.users.create_user("other", PASSWORD, "lead", NUL),
        lambda: pg_service.users.create_user(NUL, PASSWORD, "lead", "PG Team"),
    ]
    for number, call in enumerate(refused):
        with pytest.raises(ValidationError):
            call()
        # still usable
        assert pg_service.assessments.get_assessment(conversation_id=conversation) is not None, number
    assert pg_service.assessments.get_assessment(conversation_id=conversation).answers == {}  # type: ignore[union-attr]


def test_only_a_restarting_server_is_waited_for_when_connecting(postgres_url: str) -> None:
    """Issue #34: a new connection waits while the server restarts, but a wrong password or a database that
    does not exist is reported at once (the errors are the server's and libpq's own)."""
    url = make_url(postgres_url).set(drivername="postgresql")
    wrong = {
        "a wrong password": url.set(password="not-the-password"),
        "no such database": url.set(database="no_such_database"),
    }
    for what, bad in wrong.items():
        with pytest.raises(psycopg.OperationalError) as refused:
            psycopg.connect(bad.render_as_string(hide_password=False), connect_timeout=10)
        assert not db.server_restarting(refused.value), what
    with pytest.raises(psycopg.OperationalError) as nothing_there:
        psycopg.connect(url.set(port=9).render_as_string(hide_password=False), connect_timeout=10)
    assert db.server_restarting(nothing_there.value)
