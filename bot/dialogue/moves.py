"""Where the practitioner is and where a step takes them, read against the question bank.

The store holds a position as text; `position` types it (bot.domain.positions) and fills in what the
text leaves to the bank: nothing stored yet means the bank's first question. The bank may have changed
between two messages, so a return point that is no longer a question falls back to the first unanswered
one rather than to an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.danger_followups import load_followups
from bot.domain.positions import (
    AfterScreening,
    AtQuestion,
    AtReview,
    ConfirmingStartAgain,
    FollowingUpDanger,
    Position,
    parse_position,
)
from bot.domain.records import AssessmentRecord
from bot.domain.stages import SubmittedStage
from bot.questions import Question, QuestionBank
from bot.questions.model import LINKED


def read_position(
    bank: QuestionBank, stored: str | None, answers: Mapping[str, Any] | None = None
) -> Position:
    """The stored text, typed; none stored yet (a new assessment, or one started again) is the first
    question asked given `answers`: for an assessment that adds to an earlier one, "what is new"."""
    if stored:
        return parse_position(stored)
    first = bank.next_question(None, answers or {})
    return AtQuestion(first.id if first is not None else bank.first_question().id)


def position(bank: QuestionBank, record: AssessmentRecord) -> Position:
    """Where the assessment is; a question the bank has dropped since it was stored (such as `mode`, the old
    "real or practice?" question, issue #26) is read as the first unanswered question."""
    here = read_position(bank, record.current_question_id, record.answer_values())
    if isinstance(here, AtQuestion) and here.question_id not in bank:
        return next_position(bank, "", record.answer_values())
    if isinstance(here, AfterScreening) and record.submitted_stage == SubmittedStage.SCREENING:
        # Sent once as a Request for Support and reopened because the lead asked for the full assessment:
        # "send it now?" is answered already; going back into the screening and out again carries on.
        first = first_assessment_question(bank, record.answer_values())
        return AtQuestion(first.id) if first is not None else AtReview()
    return here


def next_position(
    bank: QuestionBank, after: str, answers: Mapping[str, Any]
) -> AtQuestion | AtReview | AfterScreening:
    """The next visible question not yet answered, else the summary.

    After an answer the practitioner goes on to the first unanswered question, looking forward first and
    then from the start: so going back to change one answer, or changing one from the summary, returns them
    to where they were, and a follow-up that a changed answer has just opened is asked, wherever it is.

    Stepping from the screening part into the fuller questions, before any of them is answered, stops at
    "send this now or carry on?" (issue #12): the screening alone can go to the lead as a Request for Support.
    """
    visible = bank.visible_questions(answers)
    ids = [q.id for q in visible]
    start = ids.index(after) + 1 if after in ids else 0
    for question in (*visible[start:], *visible[:start]):
        if question.id not in answers:
            if _leaves_screening(bank, after, question, answers):
                return AfterScreening()
            return AtQuestion(question.id)
    return AtReview()


def part_of(bank: QuestionBank, question: Question) -> str:
    """`screening` or `assessment`: the part of the bank the question's section belongs to."""
    return bank.section(question.section_id).part


def _leaves_screening(bank: QuestionBank, after: str, then: Question, answers: Mapping[str, Any]) -> bool:
    """Whether going from `after` to `then` leaves the screening part for the first time. An addition to a
    submitted assessment has its own "send it now?" (`submit_now_if_yes`), so it is not asked again here."""
    if after not in bank or answers.get(LINKED) or part_of(bank, then) != "assessment":
        return False
    if part_of(bank, bank.question(after)) != "screening":
        return False
    return not any(qid in bank and part_of(bank, bank.question(qid)) == "assessment" for qid in answers)


def last_screening_question(bank: QuestionBank, answers: Mapping[str, Any]) -> Question | None:
    """The last visible question of the screening part: where "back" goes from "send now or carry on?"."""
    screening = [q for q in bank.visible_questions(answers) if part_of(bank, q) == "screening"]
    return screening[-1] if screening else None


def first_assessment_question(bank: QuestionBank, answers: Mapping[str, Any]) -> Question | None:
    """The first visible question of the fuller, exploratory part: where "carry on" goes."""
    return next((q for q in bank.visible_questions(answers) if part_of(bank, q) == "assessment"), None)


def still_there(bank: QuestionBank, record: AssessmentRecord, where: Position | None) -> Position:
    """`where` if it is the summary or a question the bank still has, else the first unanswered question.

    Return points are checked when they are used, not when stored, because the bank (or the follow-up
    file) can change between the message that stored one and the message that goes back to it."""
    if isinstance(where, AtReview | AfterScreening) or (
        isinstance(where, AtQuestion) and where.question_id in bank
    ):
        return where
    return next_position(bank, "", record.answer_values())


def question_before(bank: QuestionBank, record: AssessmentRecord) -> Question | None:
    """Where "back" goes: the last visible question from the summary, else the one before the open one;
    None at "Start again?" and the follow-ups, whose "back" is their own."""
    answers = record.answer_values()
    match position(bank, record):
        case AtReview(stage=stage) if stage == "screening":
            return None  # back from the screening summary is "send now or carry on?" (bot.dialogue.at_review)
        case AtReview():
            return bank.last_question(answers)
        case AfterScreening():
            return last_screening_question(bank, answers)
        case AtQuestion(question_id):
            return bank.previous_question(question_id, answers)
    return None


def place_name(bank: QuestionBank, here: Position, answers: Mapping[str, Any]) -> str:
    """A position in words: "What you noticed, question 2" or the summary."""
    match here:
        case AtReview():
            return "the last step, checking your answers"
        case AfterScreening():
            return "the end of the screening questions"
        case ConfirmingStartAgain():
            return "the question whether to start again"
        case FollowingUpDanger():
            return load_followups().resume_name
        case AtQuestion(question_id):
            progress = bank.progress(question_id, answers)
            follow_up = ", follow-up" if progress.follow_up else ""
            return f"{progress.section_title}, question {progress.question_number}{follow_up}"


def resume_point(bank: QuestionBank, record: AssessmentRecord) -> str:
    """Where the practitioner was, in words, for "Carrying on from ..."."""
    return place_name(bank, position(bank, record), record.answer_values())
