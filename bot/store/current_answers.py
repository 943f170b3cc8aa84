"""The one rule for "the current answer": a question's highest revision, unless that revision is withdrawn.

Leads read it, reports count it, the practitioner's home says where a draft stopped by it, and start again
clears it; each used to write the rule itself, two of them in SQL, and nothing checked they agreed. Now the
rule is one SQL condition, `is_current`, and everything below is built on it, so a change to the rule (a new
status that hides an answer, say) is one edit here. tests/store/test_current_answers.py checks it against a
Python model of the rule on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import Session, aliased

from bot.domain.records import SKIPPED_KEY, WITHDRAWN
from bot.store.answer_values import joined_value
from bot.store.models import Answer


def is_current() -> ColumnElement[bool]:
    """True for an `Answer` row that is its question's current answer: no higher revision of the same
    question of the same assessment exists, and it is not a withdrawal."""
    later = aliased(Answer)
    return and_(
        Answer.status != WITHDRAWN,
        ~exists().where(
            later.assessment_id == Answer.assessment_id,
            later.question_id == Answer.question_id,
            later.revision > Answer.revision,
        ),
    )


def marked_answers(session: Session, assessment_id: int) -> list[tuple[Answer, bool]]:
    """Every revision of one assessment's answers in the order written, each with whether it is current:
    one statement for callers that need the history (the latest revisions) and the current answers both."""
    rows = session.execute(
        select(Answer, is_current()).where(Answer.assessment_id == assessment_id).order_by(Answer.id)
    )
    return [(answer, bool(current)) for answer, current in rows]


def current_by_question(marked: Iterable[tuple[Answer, bool]]) -> dict[str, Answer]:
    """question id -> its current answer, in the order questions were first answered (`marked_answers`)."""
    order: dict[str, None] = {}
    current: dict[str, Answer] = {}
    for answer, is_current_answer in marked:
        order.setdefault(answer.question_id, None)
        if is_current_answer:
            current[answer.question_id] = answer
    return {qid: current[qid] for qid in order if qid in current}


def current_values(session: Session, assessment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """assessment id -> {question id: current value}, for many assessments in one statement; the skipped
    questions' ids under SKIPPED_KEY, as `AssessmentRecord.answer_values()` lists them (issue #18)."""
    if not assessment_ids:
        return {}
    rows = session.execute(
        select(Answer.assessment_id, Answer.question_id, Answer.value, Answer.sealed_value, Answer.status)
        .where(Answer.assessment_id.in_(assessment_ids), is_current())
        .order_by(Answer.id)
    )
    result: dict[int, dict[str, Any]] = {}
    for assessment_id, question_id, value, sealed, status in rows:
        values = result.setdefault(assessment_id, {})
        values[question_id] = joined_value(value, sealed)
        if status == "skipped":
            values.setdefault(SKIPPED_KEY, []).append(question_id)
    for values in result.values():
        if SKIPPED_KEY in values:
            values[SKIPPED_KEY].sort()
    return result


def current_revision(session: Session, assessment_id: int, question_id: str) -> int | None:
    """The revision of one question's current answer, or None if it has none (never answered, or withdrawn
    when the practitioner started again)."""
    return session.scalar(
        select(Answer.revision).where(
            Answer.assessment_id == assessment_id, Answer.question_id == question_id, is_current()
        )
    )
