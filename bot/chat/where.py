"""Where a draft assessment stopped, in words, for the home page and the Teams card."""

from __future__ import annotations

from bot.dialogue.moves import place_name, read_position
from bot.domain.assessment_summary import AssessmentSummary
from bot.questions import QuestionBank


def where_stopped(bank: QuestionBank, assessment: AssessmentSummary) -> str:
    """ "What you noticed, question 2", "the last step, checking your answers", or "not started yet"."""
    if not assessment.messages:
        return "not started yet"
    try:
        return place_name(bank, read_position(bank, assessment.current_question_id), assessment.answer_values)
    except KeyError:  # a position from an older bank: the next reply moves them on
        return "where you left off"
