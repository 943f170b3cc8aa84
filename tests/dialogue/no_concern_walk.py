"""A scripted path with no concerns through the dialogue's own functions (issue #18): what the practitioner
types at each step, read by bot.dialogue.plans exactly as the action server has it read, from the first
question to "check your answers". No engine, no store, no clock: the count is of messages, never of time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

from bot.dialogue.plans import plan_answer
from bot.domain.positions import AtReview
from bot.domain.records import AnswerRecord
from bot.questions import QuestionBank
from bot.questions.model import AnswerType, Question
from tests.dialogue.records import record
from tests.e2e.screening import CARRY_ON

TODAY = date(2026, 11, 2)
AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NO_CONCERN_CHOICES = ("no", "none", "not_known")  # the first of these a choice question offers
FALLBACKS = ("12 March 2026", "next Thursday", "14", "Some words about it.")  # if the first reply is refused


def no_concern_reply(question: Question) -> str:
    """What a practitioner with nothing to report types (or presses) at `question`."""
    labels = {choice.value: choice.label for choice in question.choices}
    if question.answer_type == AnswerType.YES_NO_UNSURE:
        return "No"
    if question.choices:
        return next((labels[v] for v in NO_CONCERN_CHOICES if v in labels), question.choices[0].label)
    if question.answer_type == AnswerType.ROUGH_DATE:
        return "March 2026"
    return FALLBACKS[-1]


def walk_with_no_concerns(
    bank: QuestionBank, typed: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Every message the practitioner sends from the first question to the review, in order, with where the
    assessment was (a question id, or the choice after the screening part): one per question asked, and the
    choice to carry on. `typed`: what is typed instead at some questions (by id), to raise something."""
    here = record(bank.first_question().id)
    sent: list[tuple[str, str]] = []
    while True:
        question_id = here.current_question_id or ""
        question = bank.question(question_id) if question_id in bank else None
        first = (typed or {}).get(question_id) or (no_concern_reply(question) if question else CARRY_ON)
        replies = (first, *FALLBACKS) if question is not None else (CARRY_ON,)
        for reply in replies:
            plan = plan_answer(bank, here, reply, today=TODAY)
            if plan.move_to is not None:
                break
        else:
            raise AssertionError(f"no scripted reply moves on from {question_id}")
        sent.append((question_id, reply))
        if plan.urgent_message is not None:
            raise AssertionError(f"a no-concern reply at {question_id} was read as danger: {reply!r}")
        answers = dict(here.answers)
        if plan.record is not None:
            draft = plan.record
            answers[draft.question_id] = AnswerRecord(
                draft.question_id,
                draft.revision,
                draft.wording,
                draft.text,
                draft.value,
                draft.status,
                None,
                draft.fact_date,
                AT,
            )
        here = replace(here, answers=answers, current_question_id=plan.move_to.stored())
        if isinstance(plan.move_to, AtReview):
            return sent


ISSUE_WALK = 62  # questions on a path with no concerns when issue #18 was filed
# Today: the questions about views and ideas (ideas_involved, response_to_other_views) are asked only when an
# answer raised views or a cause, and nothing on this path does.
TODAY_WALK = 60

# `.venv/bin/python -m tests.dialogue.no_concern_walk` prints the figure for the bank as it is today.
if __name__ == "__main__":
    from bot.questions.loader import load_bank

    shipped = load_bank()
    asked = sum(1 for where, _ in walk_with_no_concerns(shipped) if where in shipped)
    change = (asked - ISSUE_WALK) / ISSUE_WALK
    print(f"turns for a path with no concerns: {asked} ({ISSUE_WALK} at the issue, {change:+.0%})")
