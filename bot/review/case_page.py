"""What the case page shows of an assessment: answers by section, the dated chronology, next steps, and (for a
lead) the evidence grouped by the VAF dimension the lead tagged it with.

Built from the stored record and the question bank. The wording shown is the wording stored with each answer
(what the practitioner was actually asked), and the text is the practitioner's, verbatim; the bank only
supplies the section each question belongs to, its order, and the labels a closed answer is shown by (`shown`:
"Online, Friends" for an answer typed "1, 3"; the typed text stays in `text` and the transcript). An answer to
a question the loaded bank no longer has still appears, under its own heading, so nothing recorded is hidden
by a bank change.

The dimension groups are a reading aid: every dimension is listed, each with the answers tagged with it, in
the order of the assessment. Nothing is counted, totalled or compared across dimensions (guardrail 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.dialogue.next_step import Suggestion, suggest_next_steps
from bot.dialogue.wording import answer_words
from bot.domain.records import AnswerRecord, AssessmentRecord
from bot.domain.vocabulary import VAF_DIMENSIONS
from bot.questions import QuestionBank
from bot.questions.model import AnswerType
from bot.review.concerns import rough_range
from bot.review.records import AnswerView, DimensionGroup, SectionView, TaggedEvidence, TagView

NOT_IN_BANK_TITLE = "Answers to questions not in the current question bank"
Tags = Mapping[str, tuple[TagView, ...]]  # active tags by question id
NO_TAGS: Tags = {}
_WHENS = frozenset({AnswerType.DATE, AnswerType.ROUGH_DATE})


def answer_view(bank: QuestionBank, answer: AnswerRecord, tags: Tags = NO_TAGS) -> AnswerView:
    vaf = bank.question(answer.question_id).vaf if answer.question_id in bank else None
    return AnswerView(
        question_id=answer.question_id,
        wording=answer.wording,
        text=answer.text,
        status=answer.status,
        source=answer.source,
        fact_date=answer.fact_date,
        fact_until=fact_until(answer),
        revision=answer.revision,
        recorded_at=answer.recorded_at,
        vaf=vaf,
        tags=tags.get(answer.question_id, ()),
        shown=answer_words(bank, answer),
    )


def fact_until(answer: AnswerRecord) -> date | None:
    """A rough date's last day, when it is not its first: what a chronology or a document shows as a range."""
    earliest, latest = rough_range(answer)
    return latest if latest is not None and latest != earliest else None


def sections(bank: QuestionBank, record: AssessmentRecord, tags: Tags = NO_TAGS) -> tuple[SectionView, ...]:
    views = {qid: answer_view(bank, answer, tags) for qid, answer in record.answers.items()}
    result = []
    for section in bank.sections:
        answered = tuple(views.pop(qid) for qid in section.question_ids if qid in views)
        if answered:
            result.append(SectionView(section.title, answered))
    if views:
        result.append(SectionView(NOT_IN_BANK_TITLE, tuple(views.values())))
    return tuple(result)


def chronology(bank: QuestionBank, record: AssessmentRecord) -> tuple[AnswerView, ...]:
    """Dated answers, oldest fact first. A rough date sorts by its first day and carries its last
    (`fact_until`), so it reads as a range; on the same first day a range comes before an exact date, and a
    narrower range before a wider one, as in the child's chronology (bot.review.chronology says why). Answers
    otherwise alike keep the order they were given in."""
    dated = [answer_view(bank, answer) for answer in record.answers.values() if answer.fact_date is not None]
    return tuple(sorted(dated, key=_earliest_first))


def _earliest_first(view: AnswerView) -> tuple[date, int, date]:
    first = view.fact_date or date.min
    return (first, 0 if view.fact_until else 1, view.fact_until or first)


def undated(bank: QuestionBank, record: AssessmentRecord) -> tuple[AnswerView, ...]:
    """Answers to a "when" question that give no date ("don't know", "not sure"), in the order given: listed
    apart from the chronology so they are neither dropped nor given a day nobody said."""
    return tuple(
        answer_view(bank, answer)
        for answer in sorted(record.answers.values(), key=lambda a: a.recorded_at)
        if is_undated(bank, answer)
    )


def is_undated(bank: QuestionBank, answer: AnswerRecord) -> bool:
    """Whether `answer` is a "when" that gives no date: shown as not dated, never given a day nobody said."""
    return (
        answer.fact_date is None
        and answer.status != "skipped"
        and answer.question_id in bank
        and bank.question(answer.question_id).answer_type in _WHENS
    )


def tag_groups(sections_: tuple[SectionView, ...]) -> tuple[DimensionGroup, ...]:
    """Every dimension, each with the answers tagged with it, in the order the answers appear on the page."""
    evidence: dict[str, list[TaggedEvidence]] = {dimension: [] for dimension in VAF_DIMENSIONS}
    for section in sections_:
        for answer in section.answers:
            for tag in answer.tags:
                evidence.setdefault(tag.dimension, []).append(TaggedEvidence(answer, tag))
    return tuple(DimensionGroup(dimension, tuple(items)) for dimension, items in evidence.items())


def next_steps(bank: QuestionBank, record: AssessmentRecord) -> tuple[Suggestion, ...]:
    return tuple(suggest_next_steps(bank, record))
