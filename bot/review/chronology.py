"""One chronology per child (issue #12): every dated item of every referral linked to one case-record ID.

Reads only; the service (bot.review.child_links) owns the transaction, the scope check and the audit. Which
referrals are read is the viewer's own scope (bot.review.scope) and the same case-record ID, so a lead of
another team who typed the same ID never sees this team's items, and this team never sees theirs.

Items are the facts as stored, never a summary: an answer's words exactly as written (with its fact date),
the submission (a Request for Support or a full assessment), each decision and its pathways, each share, each
outcome, each review date. Each item names its referral; an answer also names its question and the turn of
that referral's transcript that gave it (bot.review.transcript.link_answers, as the case page links it), so
the page links each answer straight to its turn. Only referrals in the viewer's scope are read, and the
transcript page asks the same scope, so nobody is shown a link to a case they cannot open.

Order (issue #18): every item sits at the earliest moment it can have happened. Facts dated by a day (an
answer's date, a share) sort at the start of that day in England; recorded moments (a submission, a
decision) at their local time. A rough date ("March 2024", "since Year 9") is a range, never one day: it
sorts at the start of its first day and keeps its last day (`until`) and the words as typed. On the same
first day a range comes before a precise item dated by that day, and a narrower range before a wider one,
because a range may have begun at that day's start while a precise item is only known to be on it: putting
the range after it would claim the range's event came later, which nobody said. A "when" that gives no date
("don't know") is listed apart in `undated`, never dropped and never given a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.local_time import LOCAL_ZONE
from bot.domain.pathways import outcome_label
from bot.domain.records import AssessmentRecord
from bot.domain.stages import SubmittedStage
from bot.domain.vocabulary import PATHWAYS, SHARING_METHODS
from bot.questions import QuestionBank
from bot.review import case_page
from bot.review.records import AnswerView, LinkedCase, Viewer
from bot.review.transcript import link_answers, read_transcript
from bot.store import next_reads, repository, review_reads
from bot.store.case_rows import CaseRow
from bot.tracker.database import TrackerPlace


@dataclass(frozen=True)
class ChronologyItem:
    on: date | None  # the day in England (a range's first day); None only for an undated answer
    at: datetime | None  # the moment, for items recorded at one (None: a fact dated by its day only)
    kind: str  # answer, submitted, decision, sharing, outcome, review
    what: str  # the question asked, or what kind of item it is
    words: str  # the practitioner's or lead's words exactly as stored, or the item's labels
    case: LinkedCase  # the referral it came from
    until: date | None = None  # a rough date's last day, when it is not `on`: the item is a range
    question_id: str | None = None  # an answer's question, for the link to it on its case page
    turn: int | None = None  # the transcript turn that gave an answer, when the engine's record has it


@dataclass(frozen=True)
class Chronology:
    case_record_id: str
    cases: tuple[LinkedCase, ...]  # every linked referral in the viewer's scope, oldest first
    items: tuple[ChronologyItem, ...]
    undated: tuple[ChronologyItem, ...] = ()  # "when" answers that give no date, referral by referral


@dataclass(frozen=True)
class ChildView:
    """The case page's "Child's case record and assignment" (leads only)."""

    case_record_id: str | None
    assigned_to_id: int | None
    assigned_to: str | None
    assigned_at: datetime | None
    leads: tuple[tuple[int, str], ...]  # whom the referral may be assigned to: the team's leads
    chronology: Chronology | None  # None while the referral is not linked


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date()


def sort_key(item: ChronologyItem) -> tuple[date, time, int, date, int, str]:
    """The earliest moment the item can have happened, then ranges before precise items, narrower first."""
    if item.on is None:
        raise ValueError("an undated item has no place in the order: it is listed apart")
    clock = item.at.astimezone(LOCAL_ZONE).time() if item.at else time.min
    precise = 0 if item.until is not None else 1
    return (item.on, clock, precise, item.until or item.on, item.case.id, item.kind)


def linked_assessments(session: Session, who: Viewer, case_record_id: str) -> list[CaseRow]:
    """The assessments in the viewer's scope whose referral carries this case-record ID, oldest first."""
    return review_reads.cases_with_case_record(session, who, case_record_id)


def chronology_of(
    session: Session,
    bank: QuestionBank,
    who: Viewer,
    case_record_id: str,
    tracker_db: TrackerPlace | None = None,
) -> Chronology:
    """`tracker_db` is the engine's record the transcript turns are read from (None: no turn links)."""
    assessments = linked_assessments(session, who, case_record_id)
    items: list[ChronologyItem] = []
    undated: list[ChronologyItem] = []
    cases: list[LinkedCase] = []
    for assessment in assessments:
        source = LinkedCase(assessment.id, assessment.reference, assessment.submitted_at)
        cases.append(source)
        record = repository.assessment_record(session, assessment)
        turns = _turns(tracker_db, record)
        items.extend(_items_of(session, bank, assessment, record, source, turns))
        undated.extend(_answer_item(answer, source, turns) for answer in case_page.undated(bank, record))
    return Chronology(case_record_id, tuple(cases), tuple(sorted(items, key=sort_key)), tuple(undated))


def _turns(tracker_db: TrackerPlace | None, record: AssessmentRecord) -> dict[str, int]:
    """Question id -> the transcript turn that gave its answer; empty when there is no engine record."""
    if tracker_db is None:
        return {}
    return link_answers(read_transcript(tracker_db, record.conversation_id), record.answers.values()).links


def _answer_item(answer: AnswerView, source: LinkedCase, turns: dict[str, int]) -> ChronologyItem:
    return ChronologyItem(
        answer.fact_date,
        None,
        "answer",
        answer.wording,
        answer.shown,
        source,
        until=answer.fact_until,
        question_id=answer.question_id,
        turn=turns.get(answer.question_id),
    )


def _items_of(
    session: Session,
    bank: QuestionBank,
    assessment: CaseRow,
    record: AssessmentRecord,
    source: LinkedCase,
    turns: dict[str, int],
) -> list[ChronologyItem]:
    found = [
        _answer_item(answer, source, turns)
        for answer in case_page.chronology(bank, record)
        if answer.fact_date is not None
    ]
    if assessment.submitted_at is not None:
        screening = assessment.submitted_stage == SubmittedStage.SCREENING.value
        what = "Request for Support submitted" if screening else "Assessment submitted"
        found.append(
            ChronologyItem(
                _day(assessment.submitted_at),
                assessment.submitted_at,
                AssessmentStatus.SUBMITTED,
                what,
                "",
                source,
            )
        )
    referral = review_reads.referral_of(session, assessment.id)
    decisions = review_reads.decisions_of(session, referral.id) if referral else []
    pathways = review_reads.pathways_of(session, [d.id for d in decisions])
    for decision in decisions:
        chosen = "; ".join(PATHWAYS.get(p.pathway, p.pathway) for p in pathways[decision.id])
        found.append(
            ChronologyItem(
                _day(decision.decided_at),
                decision.decided_at,
                "decision",
                "Decision recorded",
                chosen,
                source,
            )
        )
    # Sorted by sort_key below, so the store's order (by date, then id) only settles ties, as ids did.
    for share in next_reads.sharing_of(session, assessment.id):
        method = SHARING_METHODS.get(share.method, share.method)
        to = share.recipient or share.partner or ""
        what = f"Information shared with {to} ({method})" if to else f"Information shared ({method})"
        found.append(ChronologyItem(share.shared_on, None, "sharing", what, share.shared_what, source))
    for outcome in next_reads.outcomes_of(session, assessment.id):
        pathway = PATHWAYS.get(outcome.pathway, outcome.pathway)
        what = f"{pathway}: {outcome_label(outcome.pathway, outcome.outcome)}"
        found.append(ChronologyItem(outcome.outcome_on, None, "outcome", what, outcome.note or "", source))
    for review in next_reads.reviews_of(session, assessment.id):
        what = "Review held" if review.held_on else "Review due"
        found.append(ChronologyItem(review.held_on or review.due_on, None, "review", what, "", source))
    return found
