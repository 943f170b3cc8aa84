"""Practice runs past their retention period are deleted (issue #13), on SQLite and PostgreSQL, with the
clock moved: every row of an old practice run goes (answers, chat log, urgent flags and their notices, the
conversation), from the store and from the engine's tracker store; live runs and newer practice runs stay,
and the audit trail keeps a row for each deletion."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.records import ChatMessage, UserInfo
from bot.runtime.tracker_purge import delete_conversations
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.builders import give_answer, report_danger
from tests.store.conftest import PASSWORD, Clock, make_answer

BANK = "2026.1"
OWN_ROWS = ("answers", "urgent_flags", "chat_messages", "notifications")


def run(service: Store, user: UserInfo, mode: str) -> AssessmentSummary:
    """A run with an answer, a chat line and an urgent flag, so that rows point at it from many tables."""
    scenario = "a_plan_for_friday" if mode == "rehearsal" else None
    held = service.practitioners.open_assessment(user.id, "web", BANK, mode=mode, scenario_id=scenario)
    give_answer(service, held.conversation_id, make_answer(text=f"{mode} words"))
    service.conversations.append_chat_messages(
        held.conversation_id, [ChatMessage(direction="out", text="What did you notice?")]
    )
    report_danger(service, held.conversation_id, "someone has a knife")
    return held


def tracker(path: Path, senders: list[str]) -> None:
    """The two tables of the engine's tracker store the purge deletes from (engine/extensions)."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        db.execute(
            "CREATE TABLE tracker_checkpoints (sender_id TEXT PRIMARY KEY, last_event_id INT, events TEXT)"
        )
        for sender in senders:
            db.executemany("INSERT INTO events (sender_id, data) VALUES (?, '{}')", [(sender,)] * 3)
            db.execute("INSERT INTO tracker_checkpoints VALUES (?, 3, '[]')", (sender,))


def senders_in(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute(f"SELECT sender_id FROM {table}")}


def test_practice_runs_older_than_the_period_go_from_the_store_and_the_tracker_and_live_runs_stay(
    service: Store,
    sessions: sessionmaker[Session],
    clock: Clock,
    practitioner: UserInfo,
    count_rows: Callable[[str], int],
    tmp_path: Path,
) -> None:
    trainer = service.users.create_user("tess.trainer", PASSWORD, "trainer", "North Team")
    old_live = run(service, practitioner, "live")
    old_practice = [run(service, practitioner, "rehearsal"), run(service, trainer, "rehearsal")]
    service.assessments.submit(old_practice[1].conversation_id)
    # A later run added to the old practice run loses only its link when the old one goes.
    clock.advance(days=20)
    added = service.practitioners.open_assessment(
        trainer.id, "web", BANK, linked_from=old_practice[1].reference
    )
    clock.advance(days=11)  # 31 days after the first runs, 11 after the added one
    new_practice = run(service, practitioner, "rehearsal")
    everyone = [old_live, *old_practice, added, new_practice]
    tracker(tmp_path / "tracker.db", [r.conversation_id for r in everyone])
    before = {table: count_rows(table) for table in OWN_ROWS}

    purged = service.practice.purge_practice_runs(timedelta(days=30))
    events = delete_conversations(tmp_path / "tracker.db", purged.sender_ids)

    assert set(purged.references) == {r.reference for r in old_practice}
    assert events == 6
    kept = {r.reference for r in service.practitioners.assessments_of(practitioner.id)}
    kept |= {r.reference for r in service.practitioners.assessments_of(trainer.id)}
    assert kept == {old_live.reference, added.reference, new_practice.reference}
    assert service.practitioners.own_assessment(trainer.id, added.reference).linked_from is None  # type: ignore[union-attr]
    # Live words untouched, every row of the old practice runs gone (each run had one of each).
    assert service.assessments.get_assessment(old_live.conversation_id).answers["q1"].text == "live words"  # type: ignore[union-attr]
    for table in ("answers", "urgent_flags", "chat_messages"):
        assert count_rows(table) == before[table] - 2, table
    for table in ("events", "tracker_checkpoints"):
        assert senders_in(tmp_path / "tracker.db", table) == {
            r.conversation_id for r in (old_live, added, new_practice)
        }
    with sessions() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "practice.purged")).all()
    assert sorted(e.detail["reference"] for e in audited) == sorted(purged.references)

    # Run again: nothing more is old enough.
    assert service.practice.purge_practice_runs(timedelta(days=30)).references == ()


def test_a_retention_period_of_nothing_is_refused(service: Store) -> None:
    with pytest.raises(ValueError):
        service.practice.purge_practice_runs(timedelta(0))
