"""The audit trail's hash chain (issue #31), on both databases: written as events happen, unforked by writers
appending at once, and checked by `bot audit verify` (called in-process), which names the first event changed,
deleted or swapped by hand-written SQL (with the insert-only guard lifted, as only the schema's owner can)."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_chain import GENESIS, ChainSummary
from bot.domain.records import UserInfo
from bot.store import db
from bot.store.audit_chain import verify_trail
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.builders import move
from tests.cli.in_process import as_text, run_in_process

GUARD_OFF = {
    "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
    "postgresql": ["ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"],
}
WRITERS = 2
EVENTS_PER_WRITER = 15


def verify(database_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`bot audit verify ARGS` on this database, called in-process (tests/cli/in_process.py): the real
    command, its parser and its exit code, without an interpreter start a call."""
    return as_text(run_in_process(tmp_path / "data", "audit", "verify", *args, BOT_DATABASE_URL=database_url))


def tamper(engine: Engine, *statements: str) -> None:
    """Run `statements` with the insert-only guard lifted for this transaction only (PostgreSQL), or dropped
    for good from this test's own database (SQLite cannot disable a trigger)."""
    with engine.begin() as connection:
        for statement in (*GUARD_OFF[engine.dialect.name], *statements):
            connection.execute(text(statement))


def event_ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


@pytest.fixture
def trail(service: Store, started: str, practitioner: UserInfo, sessions: sessionmaker[Session]) -> list[int]:
    """A store with a few events of different kinds; their ids in order."""
    move(service, started, "q2")
    service.conversations.open_conversation(practitioner.id, "web")
    service.assessments.submit(started)
    ids = event_ids(sessions)
    assert len(ids) >= 5
    return ids


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = db.make_engine(database_url, enforce_foreign_keys=False)
    yield made
    made.dispose()


def test_each_event_carries_the_hash_of_the_one_before(
    trail: list[int], sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        links = [(event.prev_hash, event.hash) for event in events]
    assert links[0][0] == GENESIS
    assert all(previous[1] == current[0] for previous, current in pairwise(links))
    assert len({digest for _, digest in links}) == len(links)


def test_verify_passes_on_an_untouched_store(trail: list[int], database_url: str, tmp_path: Path) -> None:
    result = verify(database_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"audit trail intact: {len(trail)} events, last event {trail[-1]}" in result.stdout


def test_verify_names_a_changed_event(
    trail: list[int], engine: Engine, database_url: str, tmp_path: Path
) -> None:
    changed = trail[2]
    tamper(engine, f"UPDATE audit_events SET actor_id = 'someone else' WHERE id = {changed}")
    result = verify(database_url, tmp_path)
    assert result.returncode == 1
    assert f"audit trail broken at event {changed}: changed" in result.stdout


def test_verify_names_the_event_after_a_deleted_one(
    trail: list[int], engine: Engine, database_url: str, tmp_path: Path
) -> None:
    tamper(engine, f"DELETE FROM audit_events WHERE id = {trail[2]}")
    result = verify(database_url, tmp_path)
    assert result.returncode == 1
    assert (
        f"audit trail broken at event {trail[3]}: an event before it was deleted "
        f"(it no longer follows event {trail[1]})" in result.stdout
    )


def test_verify_names_the_first_of_two_swapped_events(
    trail: list[int], engine: Engine, database_url: str, tmp_path: Path
) -> None:
    first, second = trail[1], trail[3]
    tamper(
        engine,
        f"UPDATE audit_events SET id = -id WHERE id IN ({first}, {second})",
        f"UPDATE audit_events SET id = {second} WHERE id = -{first}",
        f"UPDATE audit_events SET id = {first} WHERE id = -{second}",
    )
    result = verify(database_url, tmp_path)
    assert result.returncode == 1
    assert (
        f"audit trail broken at event {first}: reordered: it was written after event {trail[2]}, "
        f"but is stored after event {trail[0]}" in result.stdout
    )


def test_a_noted_hash_shows_newest_events_cut_off(
    trail: list[int], engine: Engine, sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    whole = verify_trail(sessions)
    assert isinstance(whole, ChainSummary)
    assert verify(database_url, tmp_path, "--noted-hash", whole.head).returncode == 0
    tamper(engine, f"DELETE FROM audit_events WHERE id = {trail[-1]}")
    assert verify(database_url, tmp_path).returncode == 0  # the chain alone cannot tell
    result = verify(database_url, tmp_path, "--noted-hash", whole.head)
    assert result.returncode == 1
    assert f"no event has the hash {whole.head} noted earlier" in result.stdout


def test_writers_appending_at_once_do_not_fork_the_chain(
    service: Store, practitioner: UserInfo, sessions: sessionmaker[Session]
) -> None:
    """Each writer opens conversations (one audit event each) as fast as it can, both starting together."""
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(EVENTS_PER_WRITER):
                service.conversations.open_conversation(practitioner.id, "web")
        except BaseException as error:  # reported below, with the chain's state
            failures.append(error)

    before = len(event_ids(sessions))
    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = verify_trail(sessions)
    assert isinstance(result, ChainSummary), str(result)
    assert result.events == before + WRITERS * EVENTS_PER_WRITER
    with sessions() as session:
        links = list(session.scalars(select(AuditEvent.prev_hash)))
    assert len(set(links)) == len(links)  # no two events chained to the same predecessor


def test_the_migration_chains_events_written_before_it(
    trail: list[int], engine: Engine, sessions: sessionmaker[Session], database_url: str
) -> None:
    """Down to 0022 (no hashes) and up again: the events already there are chained in id order, and the
    insert-only guard is back afterwards."""
    written = verify_trail(sessions)
    assert isinstance(written, ChainSummary)
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "0022")
    db.upgrade(database_url)
    rechained = verify_trail(sessions)
    assert rechained == written  # same fields, same format, same order: the very same hashes
    with pytest.raises(DBAPIError, match="audit events are insert-only"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET action = 'rewritten'"))
