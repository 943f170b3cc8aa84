"""Test state built the way production builds it: one `AssessmentService.apply_turn` per practitioner message.

The action server changes an assessment only through the turn (bot.dialogue.turn, POST .../turn), which
flags danger first, on its own, and then applies the rest in one transaction. Building test state through
the same call keeps that ordering under test; the store has no per-field writes for tests to take instead
(issue #29).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from bot.domain.records import AnswerIn, AssessmentRecord, TurnIn
from bot.store.assessments import AssessmentService
from bot.store.services import Store

Assessments = Store | AssessmentService


def _service(store: Assessments) -> AssessmentService:
    return store.assessments if isinstance(store, Store) else store


def answer_in(
    question_id: str,
    text: str,
    *,
    revision: int = 1,
    wording: str | None = None,
    value: Any = None,
    status: Literal["answered", "skipped", "unsure"] = "answered",
    source: str | None = None,
    fact_date: date | None = None,
) -> AnswerIn:
    """An answer as the dialogue drafts it; `value` defaults to the text, as for a free-text question."""
    return AnswerIn(
        question_id=question_id,
        revision=revision,
        wording=wording or f"Question {question_id}?",
        text=text,
        value=text if value is None else value,
        status=status,
        source=source,
        fact_date=fact_date,
    )


def turn(store: Assessments, conversation_id: str, **changes: Any) -> AssessmentRecord:
    """One message's changes, as TurnIn fields (`move_to=` alone means move there)."""
    if "move_to" in changes:
        changes.setdefault("move", True)
    return _service(store).apply_turn(conversation_id, TurnIn(**changes))


def answer(
    store: Assessments, conversation_id: str, question_id: str, text: str, **fields: Any
) -> AssessmentRecord:
    """Record one answer (revision 1 unless given) in a turn of its own, without moving."""
    return turn(store, conversation_id, answer=answer_in(question_id, text, **fields))


def give_answer(store: Assessments, conversation_id: str, given: AnswerIn) -> AssessmentRecord:
    """Record an answer already built (a test's own AnswerIn) in a turn of its own, without moving."""
    return turn(store, conversation_id, answer=given)


def answer_and_move(
    store: Assessments, conversation_id: str, question_id: str, text: str, to: str | None, **fields: Any
) -> AssessmentRecord:
    """An answer and the move to the next question, together, as the dialogue sends them."""
    return turn(store, conversation_id, answer=answer_in(question_id, text, **fields), move_to=to)


def move(store: Assessments, conversation_id: str, to: str | None) -> AssessmentRecord:
    return turn(store, conversation_id, move_to=to)


def report_danger(
    store: Assessments, conversation_id: str, message: str, *, typed: bool = False
) -> AssessmentRecord:
    """A danger report, committed first and on its own (the leads' notices go in the same transaction)."""
    return turn(store, conversation_id, urgent_message=message, urgent_typed=typed)


def submit(
    store: Assessments, conversation_id: str, stage: Literal["screening", "full"] = "full"
) -> AssessmentRecord:
    return turn(store, conversation_id, submit=True, submit_stage=stage)


def start_again(store: Assessments, conversation_id: str) -> AssessmentRecord:
    return turn(store, conversation_id, start_again=True)
