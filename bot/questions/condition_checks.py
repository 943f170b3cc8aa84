"""Checking follow-up conditions against the whole bank, once every section has been read.

Apart from the reader because a condition can only be checked when every question is known: it must name an
earlier question, with a test and values that question can satisfy. Problems go to the NodeReader of the
file the condition was written in, with its line.
"""

from __future__ import annotations

import difflib

from bot.questions.condition_reader import PendingCondition
from bot.questions.model import CHOICE_TYPES, LINKED, UNSURE, AnswerType, Question
from bot.questions.question_reader import SectionDraft
from bot.questions.yaml_nodes import joined


def check_conditions(sections: list[SectionDraft], questions: list[Question]) -> None:
    """Each condition must name an earlier question, with a test and values that question can satisfy."""
    position = {question.id: n for n, question in enumerate(questions)}
    by_id = {question.id: question for question in questions}
    for section in sections:
        for draft in section.questions:
            for pending in draft.conditions:
                _check_condition(pending, draft.question, by_id, position)


def _check_condition(
    pending: PendingCondition, asker: Question, by_id: dict[str, Question], position: dict[str, int]
) -> None:
    condition, reader, node = pending.condition, pending.reader, pending.node
    if condition.kind == "any":  # each alternative is checked as a condition of its own
        for alternative in pending.alternatives:
            _check_condition(alternative, asker, by_id, position)
        return
    if condition.question == LINKED:  # `{linked: true}`: names no question
        return
    question_field = joined(pending.field, "question")
    target = by_id.get(condition.question)
    if target is None:
        close = difflib.get_close_matches(condition.question, list(by_id), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        reader.add(node, question_field, f"refers to unknown question {condition.question!r}{hint}")
        return
    if position[target.id] >= position[asker.id]:
        where = "itself" if target.id == asker.id else f"{target.id!r}, which is asked later"
        reader.add(
            node, question_field, f"refers to {where}: a follow-up must come after the question it depends on"
        )
        return
    if condition.kind == "answered":
        return
    kind_field = joined(pending.field, condition.kind)
    if condition.kind == "includes" and target.answer_type != AnswerType.MULTIPLE_CHOICE:
        reader.add(
            node,
            kind_field,
            f"'includes' needs a multiple_choice question; {target.id!r} is {target.answer_type} "
            "(use 'equals')",
        )
        return
    if condition.kind == "raised" and target.answer_type not in CHOICE_TYPES:
        reader.add(
            node,
            kind_field,
            f"'raised' needs a yes_no_unsure or choice question; {target.id!r} is {target.answer_type} "
            "(use 'answered')",
        )
        return
    if condition.kind == "equals" and target.answer_type not in (
        AnswerType.YES_NO_UNSURE,
        AnswerType.SINGLE_CHOICE,
    ):
        reader.add(
            node,
            kind_field,
            f"'equals' needs a yes_no_unsure or single_choice question; "
            f"{target.id!r} is {target.answer_type}",
        )
        return
    known = [choice.value for choice in target.choices if choice.value != UNSURE]
    for value in condition.values:
        if value not in known:
            reader.add(
                node, kind_field, f"{value!r} is not a choice of {target.id!r} (choices: {', '.join(known)})"
            )
