"""Where a draft assessment stopped, in words, for the home page and the Teams card."""

from __future__ import annotations

from bot.dialogue.plans import resume_point
from bot.domain.records import AssessmentSummary
from bot.questions import QuestionBank


def where_stopped(bank: QuestionBank, assessment: AssessmentSummary) -> str:
    """ "What you noticed, question 2", "the last step, checking your answers", or "not started yet"."""
    if not assessment.messages:
        return "not started yet"
    answers = [{"question_id": q, "value": v} for q, v in assessment.answer_values.items()]
    record = {"current_question_id": assessment.current_question_id, "answers": answers}
    try:
        return resume_point(bank, record)
    except KeyError:  # a position from an older bank: the next reply moves them on
        return "where you left off"
