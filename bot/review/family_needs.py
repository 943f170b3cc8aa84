"""The whole family's other needs, each its own record (issue #18): whose it is, what is known and how, since
when, and which service is involved.

The bank asks these per need ticked (bot.questions.per_choice); on the plain list of answers they sit one
after another, so the page, the PDF and the JSON group them here, from the bank's `per_choice_of` marks,
never by matching wording. Only needs still ticked are listed: a need unticked later keeps its old answers in
the answers list but not here. Words are as typed; nothing is scored or counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.model import AnswerType, Question
from bot.questions.per_choice import SERVICE_SUFFIX, WHAT_SUFFIX
from bot.questions.sources import ROLE_SUFFIX, SOURCE_SUFFIX
from bot.review.concerns import rough_range
from bot.review.records import AnswerView


@dataclass(frozen=True)
class FamilyNeed:
    need: str  # the need's label, as the practitioner ticked it
    need_value: str
    who: AnswerView | None  # which family member(s)
    what: AnswerView | None  # verbatim
    since: AnswerView | None  # `text` as typed; the range below
    earliest: date | None
    latest: date | None
    how: AnswerView | None  # "How do you know this?" about the what
    told_by: AnswerView | None  # the role of "someone else", when that was the source
    service: AnswerView | None  # verbatim


def _role(question: Question) -> str:
    """Which part of a need's record a generated question is, from the id the loader gave it."""
    if question.id.endswith(ROLE_SUFFIX):
        return "told_by"
    if question.id.endswith(SOURCE_SUFFIX):
        return "how"
    if question.id.endswith(SERVICE_SUFFIX):
        return "service"
    if question.id.endswith(WHAT_SUFFIX):
        return "what"
    return "since" if question.answer_type == AnswerType.ROUGH_DATE else "who"


def family_needs(
    bank: QuestionBank, record: AssessmentRecord, views: dict[str, AnswerView]
) -> tuple[FamilyNeed, ...]:
    """Each need ticked, in the bank's order, with its answers as the page shows them (`views`, by id)."""
    visible = bank.visible_ids(record.answer_values())
    found: dict[tuple[str, str], dict[str, AnswerView]] = {}
    for question in bank.questions:
        key = question.per_choice_of
        if key is None and question.source_of is not None and question.source_of in bank:
            key = bank.question(question.source_of).per_choice_of  # the "how do you know" about a need
        if key is None or question.id not in visible:
            continue
        parts = found.setdefault(key, {})
        if question.id in views:
            parts[_role(question)] = views[question.id]
    result = []
    for (parent_id, value), parts in found.items():
        choice = bank.question(parent_id).choice(value)
        since = parts.get("since")
        earliest, latest = rough_range(record.answers[since.question_id]) if since else (None, None)
        result.append(
            FamilyNeed(
                need=choice.label if choice is not None else value,
                need_value=value,
                who=parts.get("who"),
                what=parts.get("what"),
                since=since,
                earliest=earliest,
                latest=latest,
                how=parts.get("how"),
                told_by=parts.get("told_by"),
                service=parts.get("service"),
            )
        )
    return tuple(result)
