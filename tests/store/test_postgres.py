"""The same store on a real PostgreSQL server (production's database), started here in a throwaway cluster.

PostgreSQL differs from SQLite where it matters to us: real concurrent writers (so the unique-key race path
runs for real), typed timestamps, and a refusal to store NUL characters, which the store must turn into a
ValidationError rather than a server error.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.store import db
from bot.store.errors import ValidationError
from bot.store.models import Base
from bot.store.records import AnswerIn
from bot.store.services import StoreService

ANSWER_TEXT_TYPE = """
    SELECT data_type FROM information_schema.columns WHERE table_name = 'answers' AND column_name = 'text'
"""


def _postgres_bin() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL server binaries not found: install them (apt-get install postgresql)")
    return versions[-1].parent


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    binaries = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="store-pg-"))  # not under pytest's 0700 root-only tmp folders
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = "postgres"
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "data"

    def run(*argv: str) -> None:
        subprocess.run(argv, check=True, capture_output=True, user=user, cwd=folder, timeout=120)

    run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "store", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        run(str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "store", "store")
        yield f"postgresql+psycopg://store@127.0.0.1:{port}/store"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_service(postgres_url: str) -> Iterator[StoreService]:
    db.upgrade(postgres_url)
    sessions = db.make_session_factory(postgres_url)
    yield StoreService(sessions)
    sessions.kw["bind"].dispose()


def test_migrations_match_the_models_on_postgres(pg_service: StoreService, postgres_url: str) -> None:
    assert db.is_up_to_date(postgres_url)
    engine = db.make_engine(postgres_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        column_type = connection.execute(text(ANSWER_TEXT_TYPE)).scalar()
    engine.dispose()
    assert differences == []
    assert column_type == "text"  # unlimited length


def test_an_assessment_on_postgres(pg_service: StoreService) -> None:
    user = pg_service.create_user("pg.user", "a long enough password", "practitioner", "PG Team")
    conversation = pg_service.open_conversation(user.id, "web")
    record = pg_service.start_or_resume(conversation, "2026.1")
    assert record.created_at.utcoffset() == timedelta(0)
    words = "  Ça va 👩🏽‍💻\r\nzero\u200bwidth  "
    given_answer = AnswerIn(
        "q1", 1, "W", words, {"w": words}, "answered", "told by a teacher", date(2026, 2, 1)
    )
    assert pg_service.record_answer(conversation, given_answer)[1] is True
    assert pg_service.record_answer(conversation, given_answer)[1] is False
    stored = pg_service.get_assessment(conversation_id=conversation).answers["q1"]  # type: ignore[union-attr]
    assert (stored.text, stored.value, stored.fact_date) == (words, {"w": words}, date(2026, 2, 1))
    assert pg_service.authenticate("pg.user", "a long enough password") == user


def test_nul_is_a_validation_error_not_a_server_error(pg_service: StoreService) -> None:
    conversation = pg_service.open_conversation(None, "web")
    pg_service.start_or_resume(conversation, "2026.1")
    with pytest.raises(ValidationError):
        pg_service.record_answer(conversation, AnswerIn("q1", 1, "W", "a\x00b", None, "answered"))
    with pytest.raises(ValidationError):
        pg_service.record_answer(conversation, AnswerIn("q1", 1, "W", "ok", {"k": "\x00"}, "answered"))


def test_concurrent_replays_race_for_real_and_store_one_row(pg_service: StoreService) -> None:
    conversation = pg_service.open_conversation(None, "web")
    with ThreadPoolExecutor(8) as pool:
        starts = list(pool.map(lambda _: pg_service.start_or_resume(conversation, "2026.1"), range(16)))
    assert len({s.reference for s in starts}) == 1
    given_answer = AnswerIn("q1", 1, "W", "same words", "same words", "answered")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: pg_service.record_answer(conversation, given_answer), range(32)))
    assert sum(created for _, created in results) == 1
    exported = pg_service.export(conversation_id=conversation)
    assert len(exported["answers"][0]["revisions"]) == 1


_numbers = itertools.count(1)


@settings(max_examples=60, deadline=None)
@given(
    words=st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=200)
)
def test_text_round_trips_exactly_on_postgres(pg_service: StoreService, words: str) -> None:
    conversation = pg_service.open_conversation(None, "web")
    pg_service.start_or_resume(conversation, "2026.1")
    question_id = f"q{next(_numbers)}"
    pg_service.record_answer(
        conversation, AnswerIn(question_id, 1, "W", words, [words], "answered", words or None)
    )
    stored = pg_service.get_assessment(conversation_id=conversation).answers[question_id]  # type: ignore[union-attr]
    assert (stored.text, stored.value, stored.source) == (words, [words], words or None)
