"""Typed records for the pure dialogue tests: what the store hands the plans, only the parts a test names."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.positions import Position
from bot.domain.records import AnswerRecord, AssessmentRecord

WHEN = datetime(2025, 3, 13, 9, 30, tzinfo=UTC)


def answer(
    question_id: str, value: Any, text: str, status: str = "answered", revision: int = 1
) -> AnswerRecord:
    return AnswerRecord(question_id, revision, "wording", text, value, status, None, None, WHEN)


def record(
    here: Position | str | None = None,
    *answers: AnswerRecord,
    mode: str = "live",
    urgent: bool = False,
    status: str = "in_progress",
    latest_revisions: dict[str, int] | None = None,
) -> AssessmentRecord:
    """An assessment open at `here` (a typed position, or the text as stored) with `answers` in order."""
    stored = here if here is None or isinstance(here, str) else here.stored()
    return AssessmentRecord(
        id=1,
        reference="A-TEST",
        conversation_id="c1",
        practitioner_id=1,
        practitioner="pat.smith",
        team="North Team",
        mode=mode,
        status=status,
        bank_version="test",
        current_question_id=stored,
        urgent=urgent,
        urgent_first_at=WHEN if urgent else None,
        urgent_messages=(),
        created_at=WHEN,
        updated_at=WHEN,
        submitted_at=None,
        answers={a.question_id: a for a in answers},
        latest_revisions=latest_revisions or {},
    )
