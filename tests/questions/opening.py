"""Answers that make a question of the bank asked: shared by the tests that walk every question."""

from __future__ import annotations

from bot.questions import AnswerType, Question, QuestionBank
from bot.questions.model import LINKED, NO_CONTENT_VALUES, UNSURE


def answers_opening(bank: QuestionBank, question: Question) -> dict[str, object]:
    """Answers that make `question` visible: each of its conditions satisfied, and theirs in turn."""
    answers: dict[str, object] = {}
    pending = [question]
    while pending:
        current = pending.pop()
        for written in current.show_if:
            # `any_of`: opening its first alternative is enough (test_views_raised covers each of them)
            condition = written.alternatives[0] if written.kind == "any" else written
            if condition.question == LINKED:  # asked only in an addition to a submitted assessment
                answers[LINKED] = "A-EARLY1"
                continue
            target = bank.question(condition.question)
            if condition.kind == "answered":
                real = [c.value for c in target.choices if c.value not in (UNSURE, *NO_CONTENT_VALUES)]
                value: object = {
                    AnswerType.MULTIPLE_CHOICE: real[:1],
                    AnswerType.SINGLE_CHOICE: real[0] if real else None,
                    AnswerType.YES_NO_UNSURE: "yes",
                }.get(target.answer_type, "Something happened.")
            elif condition.kind == "includes" or (
                condition.kind == "raised" and target.answer_type == AnswerType.MULTIPLE_CHOICE
            ):
                value = list(condition.values[:1])
            else:
                value = condition.values[0]
            answers[condition.question] = value
            pending.append(target)
    return answers
