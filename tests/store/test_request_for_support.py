"""A Request for Support (issue #12): the stage an assessment is submitted at, as the store keeps it, and
revision 0016 on a database that already holds submitted and in-progress assessments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.domain.errors import ValidationError
from bot.domain.records import AnswerIn, AssessmentRecord, TurnIn
from bot.domain.stages import SubmittedStage
from bot.store import db
from bot.store.services import Store
from tests.builders import give_answer


def test_a_turn_submits_the_screening_as_a_request_for_support(
    service: Store, started: str, answer: Callable[..., AnswerIn], audit_actions: Callable[[], list[str]]
) -> None:
    give_answer(service, started, answer())
    assert service.assessments.get_assessment(started).submitted_stage is None  # type: ignore[union-attr]
    record = service.assessments.apply_turn(started, TurnIn(submit=True, submit_stage="screening"))
    assert (record.status, record.submitted_stage) == ("submitted", SubmittedStage.SCREENING)
    again = service.assessments.get_assessment(started)
    assert again is not None and again.submitted_stage == SubmittedStage.SCREENING
    # The action server's side of the wire reads it back typed.
    assert AssessmentRecord.from_json(record.to_json()).submitted_stage == SubmittedStage.SCREENING
    assert service.assessments.export(started)["assessment"]["submitted_stage"] == "screening"
    assert audit_actions().count("assessment.submitted") == 1


def test_a_plain_submission_is_the_full_assessment(service: Store, started: str) -> None:
    assert service.assessments.submit(started).submitted_stage == SubmittedStage.FULL
    turn_started = service.conversations.open_conversation(None, "web")
    service.assessments.start_or_resume(turn_started, "2026.1")
    record = service.assessments.apply_turn(turn_started, TurnIn.from_json({"submit": True}))
    assert record.submitted_stage == SubmittedStage.FULL


def test_an_unknown_stage_is_refused_and_changes_nothing(service: Store, started: str) -> None:
    with pytest.raises(ValidationError, match="submit_stage"):
        TurnIn.from_json({"submit": True, "submit_stage": "partial"})
    record = service.assessments.get_assessment(started)
    assert record is not None and (record.status, record.submitted_stage) == ("in_progress", None)


INSERT = """
    INSERT INTO assessments (id, reference, conversation_id, mode, status, bank_version, urgent, created_at,
                             updated_at, submitted_at)
    VALUES (:id, :reference, :id, 'live', :status, '2026.1', 0, '2026-01-01 00:00:00',
            '2026-01-01 00:00:00', :submitted_at)
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'before.db'}"


def test_migration_0016_marks_every_earlier_submission_full_and_leaves_drafts_without_a_stage(
    url: str,
) -> None:
    db.upgrade(url, "0015")
    engine = db.make_engine(url, enforce_foreign_keys=False)
    with engine.begin() as connection:
        connection.execute(
            text(INSERT),
            {"id": 1, "reference": "A-AAAAA1", "status": "submitted", "submitted_at": "2026-01-02 00:00:00"},
        )
        connection.execute(
            text(INSERT), {"id": 2, "reference": "A-AAAAA2", "status": "in_progress", "submitted_at": None}
        )
    db.upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, submitted_stage FROM assessments ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(1, "full"), (2, None)]
    with pytest.raises(IntegrityError, match="ck_assessments_submitted_stage"), engine.begin() as connection:
        connection.execute(text("UPDATE assessments SET submitted_stage = 'partial' WHERE id = 1"))
    engine.dispose()
    assert db.is_up_to_date(url)
