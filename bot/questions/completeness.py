"""What the record still lacks (issue #18): the completeness summary the practitioner sees before submitting
and the lead sees on the case.

A lead cannot act on a concern without knowing when it happened and how it is known, and paper screening
forms come back to the referrer when that evidence is missing. So every view (the chat's "Check your
answers" on the web and in Teams, the lead's case page and Request for Support, the PDF and the JSON export)
lists the same facts, worked out here once from the answers and the bank: which concerns lack what was said
or done, a when, how it is known or who told them; which of the family's needs lack who it concerns, what,
since when, how it is known or which service is involved (bot.questions.per_choice); which questions were
skipped; which were answered "Not sure". Facts only, never a score, a percentage or a rating (guardrail 1):
nothing here is counted into a figure about the child. Nothing blocks submission or the danger path; the
practitioner may add what is missing or submit as it is.

A case still in progress (an urgent case a lead opens before it is submitted) has follow-ups that are not
missing but not asked yet. Listing them as missing would tell the lead the practitioner left them out, so
with `in_progress` a part with no answer at all is `not_reached` instead, and the readers say plainly that
it may still be answered. A submitted case has no such parts: what has no answer then is missing.

Pure: answers are `AssessmentRecord.answer_values()` (value by question id, "not sure" and a skip both None,
the skipped ids under SKIPPED), so the dialogue and the review pages pass what they already hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.questions.evidence import raises_concern
from bot.questions.flow import QuestionBank
from bot.questions.model import SKIPPED, AnswerType, Question, has_content
from bot.questions.per_choice import SERVICE_SUFFIX, WHAT_SUFFIX
from bot.questions.rough_dates import says_dont_know
from bot.questions.sources import ROLE_SUFFIX, SOURCE_SUFFIX


class Part(StrEnum):
    """A part of a concern's evidence, in the order the pattern asks them."""

    WHAT = "what"
    WHEN = "when"
    HOW = "how"
    WHO = "who"
    MEMBER = "member"  # a family need: who in the family it concerns
    SERVICE = "service"  # a family need: which service is involved


# How each missing part is named to a reader; plain words, the same in the chat and on the lead's page.
PART_WORDS: Mapping[Part, str] = {
    Part.WHAT: "what was said or done",
    Part.WHEN: "when",
    Part.HOW: "how it is known",
    Part.WHO: "who told them (their role)",
    Part.MEMBER: "who in the family it concerns",
    Part.SERVICE: "which service is involved",
}
# A family need's parts in the order its record reads (bot.review.family_needs).
NEED_ORDER = (Part.MEMBER, Part.WHAT, Part.HOW, Part.WHO, Part.WHEN, Part.SERVICE)

Found = tuple[tuple[Part, Question], ...]  # each part with the question that asks for it


class _GapWords:
    """The missing and not-yet-asked parts of a concern's or a need's record, as a reader is told them."""

    missing: Found
    not_reached: Found

    @property
    def words(self) -> str:
        return _words(self.missing)

    @property
    def not_reached_words(self) -> str:
        return _words(self.not_reached)


@dataclass(frozen=True)
class ConcernGap(_GapWords):
    """A concern raised (or answered "not sure") that lacks part of its evidence."""

    concern: Question
    missing: Found  # asked and left without an answer, skipped, "not sure" or "don't know"
    not_reached: Found = ()  # in progress: not asked yet

    @property
    def label(self) -> str:
        return self.concern.text


@dataclass(frozen=True)
class NeedGap(_GapWords):
    """A need of the family ticked whose own record lacks part of what a lead needs (issue #18)."""

    need: str  # the need's label, as ticked
    need_value: str  # its choice value (the case page's anchor `need-<value>`)
    asks: Question  # its first question, "who in the family does this concern?"
    missing: Found
    not_reached: Found = ()

    @property
    def label(self) -> str:
        return self.need


@dataclass(frozen=True)
class Completeness:
    concerns: tuple[ConcernGap, ...] = ()  # those lacking something asked
    skipped: tuple[Question, ...] = ()
    not_sure: tuple[Question, ...] = ()
    needs: tuple[NeedGap, ...] = ()  # those lacking something asked
    in_progress: bool = False
    not_reached: tuple[ConcernGap | NeedGap, ...] = ()  # in progress: follow-ups not asked yet, in bank order

    @property
    def complete(self) -> bool:
        """Nothing asked is missing; follow-ups not reached yet in a case in progress are not counted."""
        return not (self.concerns or self.needs or self.skipped or self.not_sure)


def _words(parts: Found) -> str:
    return ", ".join(PART_WORDS[part] for part, _ in parts)


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


def need_members(bank: QuestionBank) -> dict[tuple[str, str], dict[Part, Question]]:
    """Each family need's questions (bot.questions.per_choice), by (choice question, choice) and part."""
    found: dict[tuple[str, str], dict[Part, Question]] = {}
    for question in bank.questions:
        key = question.per_choice_of
        if key is None and question.source_of is not None and question.source_of in bank:
            key = bank.question(question.source_of).per_choice_of  # the "how do you know" about a need
        if key is None:
            continue
        found.setdefault(key, {})[_need_part(question)] = question
    return found


def _need_part(question: Question) -> Part:
    """Which part of a need's record a generated question is, from the id the loader gave it."""
    if question.id.endswith(ROLE_SUFFIX):
        return Part.WHO
    if question.id.endswith(SOURCE_SUFFIX):
        return Part.HOW
    if question.id.endswith(SERVICE_SUFFIX):
        return Part.SERVICE
    if question.id.endswith(WHAT_SUFFIX):
        return Part.WHAT
    return Part.WHEN if question.answer_type == AnswerType.ROUGH_DATE else Part.MEMBER


def completeness(
    bank: QuestionBank, answers: Mapping[str, object], *, in_progress: bool = False
) -> Completeness:
    """What the answers still lack, in bank order; only questions still asked given the answers count.
    `in_progress`: the case is not submitted, so a follow-up with no answer yet is not reached yet."""
    visible = bank.visible_ids(answers)
    skipped_ids = frozenset(_skipped(answers))
    judge = _Judge(answers, skipped_ids, in_progress)
    gaps: list[ConcernGap] = []
    for parent in bank.questions:
        if parent.id not in visible or parent.id not in answers or not raises_concern(parent):
            continue
        members = {part: q for part, q in evidence_members(bank, parent).items() if q.id in visible}
        missing, not_reached = judge.split(members, list(Part))
        if missing or not_reached:
            gaps.append(ConcernGap(parent, missing, not_reached))
    needs: list[NeedGap] = []
    for (parent_id, value), parts in need_members(bank).items():
        members = {part: q for part, q in parts.items() if q.id in visible}
        if Part.MEMBER not in members:
            continue  # that need is not ticked
        missing, not_reached = judge.split(members, NEED_ORDER)
        if missing or not_reached:
            choice = bank.question(parent_id).choice(value)
            label = choice.label if choice is not None else value
            needs.append(NeedGap(label, value, members[Part.MEMBER], missing, not_reached))
    # Listed under their concern or need, so not again as skipped or "not sure".
    in_gaps = {q.id for gap in (*gaps, *needs) for _, q in gap.missing}
    listed = [q for q in bank.questions if q.id in visible and q.id in answers and q.id not in in_gaps]
    return Completeness(
        concerns=tuple(gap for gap in gaps if gap.missing),
        skipped=tuple(q for q in listed if q.id in skipped_ids),
        not_sure=tuple(q for q in listed if q.id not in skipped_ids and answers[q.id] is None),
        needs=tuple(gap for gap in needs if gap.missing),
        in_progress=in_progress,
        not_reached=tuple(gap for gap in (*gaps, *needs) if gap.not_reached),
    )


@dataclass(frozen=True)
class _Judge:
    """Sorts a concern's or a need's parts into missing and (in a case in progress) not reached yet."""

    answers: Mapping[str, object]
    skipped: frozenset[str]
    in_progress: bool

    def split(self, members: Mapping[Part, Question], order: Sequence[Part]) -> tuple[Found, Found]:
        missing: list[tuple[Part, Question]] = []
        not_reached: list[tuple[Part, Question]] = []
        for part in order:
            question = members.get(part)
            if question is None or not _lacks(question, self.answers, self.skipped):
                continue
            unasked = question.id not in self.answers and question.id not in self.skipped
            (not_reached if self.in_progress and unasked else missing).append((part, question))
        return tuple(missing), tuple(not_reached)


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
