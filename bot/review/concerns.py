"""Each concern with its evidence together (issue #18): what was said or done, when, and how it is known.

A lead reads a concern as one thing: the answer that raised it, then the practitioner's words, the date as
typed with the range of days it can mean, and the source. On the plain list of answers these sit apart
(the "how do you know" prompt may follow the "what" several questions later in a changed bank), so the page,
the PDF and the JSON group them here, from the bank's evidence pattern (bot.questions.evidence), never by
matching wording. Only answers still asked given the other answers are grouped: a concern answered "no"
after a first "not sure" keeps its old "what" in the answers list but not here.

Nothing is scored or summarised: the words are as typed, the concern answer as chosen.
"""

from __future__ import annotations

from datetime import date

from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.completeness import evidence_members
from bot.review.records import AnswerView, ConcernEvidence


def rough_range(answer: AnswerRecord) -> tuple[date | None, date | None]:
    """The first and last day a rough-date answer can mean; (None, None) for anything else or no range."""
    value = answer.value
    if answer.status != "answered" or not isinstance(value, dict):
        return None, None
    earliest, latest = value.get("earliest"), value.get("latest")
    if not isinstance(earliest, str) or not isinstance(latest, str):
        return None, None
    return date.fromisoformat(earliest), date.fromisoformat(latest)


def concerns(
    bank: QuestionBank, record: AssessmentRecord, views: dict[str, AnswerView]
) -> tuple[ConcernEvidence, ...]:
    """The concerns raised in `record`, in bank order, each with its evidence; `views` are the answers as
    the page shows them (by question id)."""
    visible = bank.visible_ids(record.answer_values())
    result = []
    for parent in bank.questions:
        if parent.id not in views or parent.is_synthesised:
            continue
        members = {
            part.value: views[q.id]
            for part, q in evidence_members(bank, parent).items()
            if q.id in views and q.id in visible
        }
        if not members:
            continue  # no concern raised, or its evidence not reached yet
        when = members.get("when")
        earliest, latest = rough_range(record.answers[when.question_id]) if when else (None, None)
        result.append(
            ConcernEvidence(
                concern=views[parent.id],
                what=members.get("what"),
                when=when,
                earliest=earliest,
                latest=latest,
                how=members.get("how"),
                who=members.get("who"),
            )
        )
    return tuple(result)
