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
from bot.questions.completeness import Part, need_members
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


def family_needs(
    bank: QuestionBank, record: AssessmentRecord, views: dict[str, AnswerView]
) -> tuple[FamilyNeed, ...]:
    """Each need ticked, in the bank's order, with its answers as the page shows them (`views`, by id)."""
    visible = bank.visible_ids(record.answer_values())
    result = []
    for (parent_id, value), members in need_members(bank).items():
        parts = {part: views[q.id] for part, q in members.items() if q.id in visible and q.id in views}
        if not any(q.id in visible for q in members.values()):
            continue  # that need is not ticked
        choice = bank.question(parent_id).choice(value)
        since = parts.get(Part.WHEN)
        earliest, latest = rough_range(record.answers[since.question_id]) if since else (None, None)
        result.append(
            FamilyNeed(
                need=choice.label if choice is not None else value,
                need_value=value,
                who=parts.get(Part.MEMBER),
                what=parts.get(Part.WHAT),
                since=since,
                earliest=earliest,
                latest=latest,
                how=parts.get(Part.HOW),
                told_by=parts.get(Part.WHO),
                service=parts.get(Part.SERVICE),
            )
        )
    return tuple(result)
