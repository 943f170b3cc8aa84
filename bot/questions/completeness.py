"""What the record still lacks (issue #18): the completeness summary the practitioner sees before submitting
and the lead sees on the case.

A lead cannot act on a concern without knowing when it happened and how it is known, and paper screening
forms come back to the referrer when that evidence is missing. So every view (the chat's "Check your
answers" on the web and in Teams, the lead's case page and Request for Support) lists the same facts, worked
out here once from the answers and the bank: which concerns lack what was said or done, a when, how it is
known or who told them; which questions were skipped; which were answered "Not sure". Facts only, never a
score, a percentage or a rating (guardrail 1): nothing here is counted into a figure about the child. Nothing
blocks submission or the danger path; the practitioner may add what is missing or submit as it is.

Pure: answers are `AssessmentRecord.answer_values()` (value by question id, "not sure" and a skip both None,
the skipped ids under SKIPPED), so the dialogue and the review pages pass what they already hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.questions.evidence import raises_concern
from bot.questions.flow import QuestionBank
from bot.questions.model import SKIPPED, AnswerType, Question, has_content
from bot.questions.rough_dates import says_dont_know
from bot.questions.sources import ROLE_SUFFIX, SOURCE_SUFFIX


class Part(StrEnum):
    """A part of a concern's evidence, in the order the pattern asks them."""

    WHAT = "what"
    WHEN = "when"
    HOW = "how"
    WHO = "who"


# How each missing part is named to a reader; plain words, the same in the chat and on the lead's page.
PART_WORDS: Mapping[Part, str] = {
    Part.WHAT: "what was said or done",
    Part.WHEN: "when",
    Part.HOW: "how it is known",
    Part.WHO: "who told them (their role)",
}


@dataclass(frozen=True)
class ConcernGap:
    """A concern raised (or answered "not sure") that lacks part of its evidence."""

    concern: Question
    missing: tuple[tuple[Part, Question], ...]  # each missing part with the question that asks for it

    @property
    def words(self) -> str:
        return ", ".join(PART_WORDS[part] for part, _ in self.missing)


@dataclass(frozen=True)
class Completeness:
    concerns: tuple[ConcernGap, ...] = ()
    skipped: tuple[Question, ...] = ()
    not_sure: tuple[Question, ...] = ()

    @property
    def complete(self) -> bool:
        return not (self.concerns or self.skipped or self.not_sure)


def evidence_members(bank: QuestionBank, parent: Question) -> dict[Part, Question]:
    """The evidence pattern's questions that follow `parent` (bot.questions.evidence), by part."""
    found: dict[Part, Question] = {}
    for question in bank.questions:
        on = {c.question for c in question.show_if}
        if Part.HOW in found and found[Part.HOW].id in on and question.id.endswith(ROLE_SUFFIX):
            found[Part.WHO] = question  # shown only when someone else told them
            continue
        if not any(c.question == parent.id and c.kind == "raised" for c in question.show_if):
            continue
        if question.id.endswith(SOURCE_SUFFIX):
            found[Part.HOW] = question
        elif question.answer_type == AnswerType.ROUGH_DATE:
            found[Part.WHEN] = question
        elif question.answer_type == AnswerType.FREE_TEXT:
            found[Part.WHAT] = question
    return found


def completeness(bank: QuestionBank, answers: Mapping[str, object]) -> Completeness:
    """What the answers still lack, in bank order; only questions still asked given the answers count."""
    visible = bank.visible_ids(answers)
    skipped_ids = frozenset(_skipped(answers))
    gaps: list[ConcernGap] = []
    in_gaps: set[str] = set()  # listed under their concern, so not again as skipped or "not sure"
    for parent in bank.questions:
        if parent.id not in visible or parent.id not in answers or not raises_concern(parent):
            continue
        members = {part: q for part, q in evidence_members(bank, parent).items() if q.id in visible}
        missing = tuple(
            (part, question) for part, question in members.items() if _lacks(question, answers, skipped_ids)
        )
        if missing:
            gaps.append(ConcernGap(parent, tuple(sorted(missing, key=lambda m: list(Part).index(m[0])))))
            in_gaps.update(question.id for _, question in missing)
    listed = [q for q in bank.questions if q.id in visible and q.id in answers and q.id not in in_gaps]
    return Completeness(
        concerns=tuple(gaps),
        skipped=tuple(q for q in listed if q.id in skipped_ids),
        not_sure=tuple(q for q in listed if q.id not in skipped_ids and answers[q.id] is None),
    )


def _skipped(answers: Mapping[str, object]) -> tuple[str, ...]:
    value = answers.get(SKIPPED, ())
    return tuple(value) if isinstance(value, list | tuple) else ()


def _lacks(question: Question, answers: Mapping[str, object], skipped: frozenset[str]) -> bool:
    """No answer, a skip, "not sure", or a "when" that says it is not known."""
    if question.id not in answers or question.id in skipped:
        return True
    value = answers[question.id]
    if question.answer_type == AnswerType.ROUGH_DATE and isinstance(value, Mapping):
        as_typed = value.get("as_typed")
        return not isinstance(as_typed, str) or says_dont_know(as_typed)
    return not has_content(value)
