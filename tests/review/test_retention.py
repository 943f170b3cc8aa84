"""The retention job and legal holds (issue #31), on SQLite and on a real PostgreSQL server, with the clock
moved past the schedule's periods: an expired closed live case is gone from the store and from the engine's
tracker store, a case under a legal hold and an unexpired one are untouched, a dry run changes nothing, and
the audit trail names what went (ids and row counts, never the words)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from review_helpers import VERBATIM, Case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotPermittedError, ValidationError
from bot.domain.records import UserInfo
from bot.domain.retention import load_schedule
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.runtime.tracker_purge import delete_conversations
from bot.store.held_messages import HeldMessageService
from bot.store.models import Assessment, AuditEvent, Base
from bot.store.services import Store
from tests.fixtures.databases import MigratedSqlite
from tests.fixtures.postgres import PostgresDatabases

ADDRESS = "192.0.2.31"
CLOSED = datetime.now(UTC).replace(microsecond=0)
AFTER_SIX_YEARS = CLOSED + timedelta(days=2192 + 1)
DECISION = DecisionIn(
    pathways=(PathwayIn("early_help", rationale="Early help fits.", shared="Nothing yet.", owner="Lead"),),
    lawful_bases=("art6_public_task",),
    consent="given",
)


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        migrated_sqlite: MigratedSqlite = request.getfixturevalue("migrated_sqlite")
        yield migrated_sqlite(tmp_path / "store.db")
        return
    postgres: PostgresDatabases = request.getfixturevalue("postgres_databases")
    url = postgres.create()
    yield url
    postgres.drop(url)


def close(
    sessions: sessionmaker[Session], bank: QuestionBank, lead: UserInfo, case: Case, at: datetime
) -> None:
    review = ReviewService(sessions, bank, clock=lambda: at)
    review.open_case(lead.id, ADDRESS, case.id)
    review.record_decision(lead.id, ADDRESS, case.id, DECISION)
    review.close_case(lead.id, ADDRESS, case.id)


def tracker(path: Path, senders: list[str]) -> None:
    """The engine's tracker store's two tables (engine/extensions/checkpoint_store.py), one run each."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        db.execute(
            "CREATE TABLE tracker_checkpoints (sender_id TEXT PRIMARY KEY, last_event_id INT, events TEXT)"
        )
        for sender in senders:
            db.executemany("INSERT INTO events (sender_id, data) VALUES (?, '{}')", [(sender,)] * 3)
            db.execute("INSERT INTO tracker_checkpoints VALUES (?, 3, '[]')", (sender,))


def senders_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {
            row[0]
            for row in db.execute(
                "SELECT sender_id FROM events UNION SELECT sender_id FROM tracker_checkpoints"
            )
        }


def every_row(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_expired_cases_go_everywhere_held_and_unexpired_ones_stay_and_a_dry_run_changes_nothing(
    sessions: sessionmaker[Session],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    tmp_path: Path,
) -> None:
    expired, held, unexpired = cases["north-live"], cases["south-live"], cases["north-colleague-live"]
    close(sessions, bank, people["north-lead"], expired, CLOSED)
    close(sessions, bank, people["south-lead"], held, CLOSED)
    close(sessions, bank, people["north-lead"], unexpired, CLOSED + timedelta(days=3 * 365))
    store.retention.set_hold(people["south-lead"].id, held.reference, "Complaint to the council, ref C-1")
    draft = cases["north-in-progress"]  # with a message kept for its author after their session ended
    kept = HeldMessageService(sessions, b"k" * 32, hours=24)
    assert kept.hold(people["north-practitioner"].id, draft.reference, VERBATIM)
    tracker(tmp_path / "tracker.db", [c.conversation_id for c in cases.values()])
    later = Store(sessions, clock=lambda: AFTER_SIX_YEARS).retention
    schedule = load_schedule()
    going = {expired.reference, cases["north-in-progress"].reference}  # the draft: a year without a change
    going |= {cases["north-rehearsal"].reference, cases["south-rehearsal"].reference}
    before = every_row(sessions)

    dry = later.erase_expired(schedule, dry_run=True)

    assert {c.reference for c in dry.cases} == going
    assert every_row(sessions) == before
    [listed] = [c for c in dry.cases if c.reference == expired.reference]
    assert (
        listed.record_type == "closed_case" and listed.rows["answers"] >= 2 and listed.rows["referrals"] == 1
    )

    erasure = later.erase_expired(schedule)
    events = delete_conversations(tmp_path / "tracker.db", erasure.sender_ids)
    later.record_run(erasure, events)

    assert erasure.cases == dry.cases  # the dry run listed exactly what went, with the same counts
    with sessions() as session:
        left = set(session.scalars(select(Assessment.reference)))
    assert left.isdisjoint(going) and {held.reference, unexpired.reference} <= left
    for kept in (held, unexpired):
        record = store.assessments.get_assessment(kept.conversation_id)
        assert record is not None and VERBATIM in {a.text for a in record.answers.values()}
    assert events == 3 * len(going)
    assert senders_in(tmp_path / "tracker.db") == {
        c.conversation_id for c in cases.values() if c.reference not in going
    }
    after = every_row(sessions)
    assert after["answers"] == before["answers"] - sum(c.rows.get("answers", 0) for c in erasure.cases)
    with sessions() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.case_erased")
        ).all()
        [run] = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")).all()
    assert {e.detail["reference"] for e in audited} == going
    assert {e.assessment_id for e in audited} == {c.assessment_id for c in erasure.cases}
    assert all(e.detail["rows"]["assessments"] == 1 for e in audited)
    assert VERBATIM not in json.dumps([e.detail for e in audited])  # what went, never what it said
    assert sorted(run.detail["references"]) == sorted(going) and run.detail["tracker_events"] == events

    # Lifted, the held case goes at the next run; nothing else is left to go.
    store.retention.lift_hold(people["south-lead"].id, held.reference, "Complaint resolved")
    assert [c.reference for c in later.erase_expired(schedule).cases] == [held.reference]


def test_only_a_lead_of_the_team_or_an_admin_sets_a_hold_with_a_reason(
    store: Store, people: dict[str, UserInfo], cases: dict[str, Case]
) -> None:
    case = cases["north-live"].reference
    for who in ("north-practitioner", "north-trainer", "south-lead", "north-coordinator"):
        with pytest.raises(NotPermittedError):
            store.retention.set_hold(people[who].id, case, "because")
    with pytest.raises(ValidationError, match="reason"):
        store.retention.set_hold(people["north-lead"].id, case, "   ")
    store.retention.set_hold(people["north-lead"].id, case, "Litigation hold")
    with pytest.raises(ConflictError, match="already"):
        store.retention.set_hold(people["south-admin"].id, case, "Inquiry")
    assert store.retention.held_references() == (case,)
    store.retention.lift_hold(people["south-admin"].id, case, "Litigation over")
    assert store.retention.held_references() == ()
    with pytest.raises(ConflictError, match="not under"):
        store.retention.lift_hold(people["north-lead"].id, case, "again")
