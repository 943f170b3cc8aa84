"""Plain records the review service hands to the pages: no ORM rows leave a transaction. Free text (answers,
urgent messages, rationale, reasons, a lead's tag notes) is carried exactly as stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.dialogue.next_step import Suggestion
from bot.domain.answer_history import AnswerHistory
from bot.domain.case_list import (  # the review's callers read them here too
    ASSIGNED_TO_ME as ASSIGNED_TO_ME,
)
from bot.domain.case_list import (
    UNASSIGNED as UNASSIGNED,
)
from bot.domain.case_list import (
    WAITING_STATUSES as WAITING_STATUSES,
)
from bot.domain.case_list import (
    CaseFilters as CaseFilters,
)
from bot.domain.case_list import (
    Viewer as Viewer,
)
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.records import AssessmentRecord
from bot.domain.stages import stage_label
from bot.questions.completeness import Completeness
from bot.review.next_records import WhatNext
from bot.review.pathway_records import PathwayView
from bot.review.transcript import Transcript

if TYPE_CHECKING:  # these modules read these records at run time; only the annotation goes the other way
    from bot.review.chronology import ChildView
    from bot.review.document_records import MadeDocument
    from bot.review.family_needs import FamilyNeed
    from bot.store.retention import HoldState


@dataclass(frozen=True)
class LinkedCase:
    """Another case this one adds to, or that adds to this one (bot.review.links)."""

    id: int
    reference: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class CaseSummary:
    id: int
    reference: str
    mode: str
    status: str  # a referral status, or URGENT_UNSUBMITTED for an urgent case still in progress
    urgent: bool
    practitioner: str | None
    submitted_at: datetime | None
    urgent_first_at: datetime | None = None
    adds_to: LinkedCase | None = None
    added_to_by: tuple[LinkedCase, ...] = ()
    stage_label: str | None = None  # "Request for Support (screening only)" (issue #12); None for a full one
    next_review: date | None = None  # issue #12: the earliest review not yet held
    assigned_to: str | None = None  # issue #12: the lead it is assigned to (leads' list only)
    waiting: timedelta | None = None  # issue #12: since submission, while it waits for a decision

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class CaseList:
    """One page of cases. `cases` starts with every urgent case not yet submitted that the filters match
    (on every page, whatever the sort: `pinned` of them), then the page of submitted cases."""

    cases: tuple[CaseSummary, ...]
    total: int
    page: int
    pages: int
    modes: tuple[str, ...]  # the modes this viewer may see, for the mode filter
    pinned: int = 0
    pinned_total: int = (
        0  # urgent unsubmitted cases matching the filters (more than `pinned` if over the cap)
    )
    urgent_unsubmitted: int = 0  # urgent unsubmitted cases in the viewer's scope, whatever the filters

    @property
    def hidden_urgent(self) -> int:
        """Urgent unsubmitted cases the filters leave out: named on the page, so no filter hides danger."""
        return max(0, self.urgent_unsubmitted - self.pinned_total)


@dataclass(frozen=True)
class TagView:
    """An active VAF tag a lead put on an answer; `answer_revision` is the version of the answer they read."""

    id: int
    question_id: str
    answer_revision: int
    dimension: str
    note: str | None
    tagged_by: str
    tagged_at: datetime
    removed_by: str | None = None  # a removed tag is kept, and shown only in a lead's export
    removed_at: datetime | None = None


@dataclass(frozen=True)
class AnswerView:
    question_id: str
    wording: str
    text: str  # exactly as typed
    status: str
    source: str | None
    fact_date: date | None
    revision: int
    recorded_at: datetime
    vaf: str | None  # the bank's tagging aid, shown to reviewers only
    tags: tuple[TagView, ...] = ()  # the lead's active tags (empty for anyone who is not a lead)
    shown: str = ""  # what a reader is shown: a closed answer's option labels, else `text` (answer_words)
    fact_until: date | None = None  # a rough date's last day, `fact_date` its first; None for an exact date

    @property
    def tagged_dimensions(self) -> frozenset[str]:
        """Dimensions already on this version of the answer, so the form offers only the others."""
        return frozenset(tag.dimension for tag in self.tags if tag.answer_revision == self.revision)


@dataclass(frozen=True)
class ConcernEvidence:
    """A concern with what was said or done, when and how it is known (bot.review.concerns)."""

    concern: AnswerView  # the concern question's answer ("Yes", a choice, or "Not sure")
    what: AnswerView | None  # verbatim
    when: AnswerView | None  # `text` as typed; the range below
    earliest: date | None
    latest: date | None
    how: AnswerView | None  # "How do you know this?"
    who: AnswerView | None  # the role of "someone else", when that was the source


@dataclass(frozen=True)
class TaggedEvidence:
    """An answer as listed under one dimension: the grouping is for reading, never counted or totalled."""

    answer: AnswerView
    tag: TagView


@dataclass(frozen=True)
class DimensionGroup:
    dimension: str
    evidence: tuple[TaggedEvidence, ...]


@dataclass(frozen=True)
class SectionView:
    title: str
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True)
class ActionView:
    description: str
    owner: str
    due_date: date


@dataclass(frozen=True)
class DecisionView:
    decided_by: str
    decided_at: datetime
    pathways: tuple[PathwayView, ...]
    lawful_bases: tuple[str, ...]
    consent: str
    consent_reason: str | None
    review_date: date | None
    feedback: str | None
    feedback_given_on: date | None
    actions: tuple[ActionView, ...]
    made_on_screening: bool = False  # issue #12: decided on a Request for Support (bot.review.decision_basis)


@dataclass(frozen=True)
class StatusChangeView:
    from_status: str | None
    to_status: str
    reason: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    who: str
    action: str
    address: str | None
    about: str | None = None  # what a change was to, from the event's ids and labels (never free text)


@dataclass(frozen=True)
class UrgentView:
    text: str
    flagged_at: datetime


@dataclass(frozen=True)
class DangerDetailView:
    """A danger follow-up answer (what is happening, 999, where, who with): asked and answered, verbatim."""

    question_id: str
    wording: str
    text: str
    answered_at: datetime


@dataclass(frozen=True)
class NoticeView:
    """One notice about the case (urgent or review, by `purpose`) to one person, one channel, and its fate."""

    recipient: str
    channel: str
    purpose: str
    state: str  # pending | sent | failed
    attempts: int
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class ResponseView:
    """What a lead recorded doing about an urgent flag, in their words."""

    by: str
    note: str
    at: datetime


@dataclass(frozen=True)
class StandDownView:
    """A lead's stand-down of the urgent flag: "not an emergency", in their words."""

    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class Audience:
    """What one reader of a case may see. Decided once, from the domain's permission table, so that the page,
    the PDF and the JSON export of the same case can never disagree about what a reader is shown."""

    reviewer: bool  # the case's lead or trainer (or the CLI): the whole decision, the contact details
    tags: bool  # VAF tags: leads only (and the CLI)
    follow_up: bool  # notices and what leads did about an urgent flag: leads only (and the CLI)


# `bot assessments export` runs on the server as an administrator of the service: the whole record.
EVERYTHING = Audience(reviewer=True, tags=True, follow_up=True)


@dataclass(frozen=True)
class CaseDocument:
    """One case as every rendering shows it (page, PDF, JSON, CLI); built by bot.review.case_document."""

    record: AssessmentRecord  # with the current answers; free text verbatim
    status: str  # a referral status, or URGENT_UNSUBMITTED for an urgent case still in progress
    audience: Audience
    made_at: datetime  # when this document was read (an export's "exported at")
    sections: tuple[SectionView, ...]
    chronology: tuple[AnswerView, ...]
    undated: tuple[AnswerView, ...]  # "when" answers giving no date ("don't know"), listed apart
    suggestions: tuple[Suggestion, ...]
    answer_history: tuple[AnswerHistory, ...]
    decisions: tuple[DecisionView, ...]
    status_changes: tuple[StatusChangeView, ...]
    urgent_messages: tuple[UrgentView, ...]
    danger_details: tuple[DangerDetailView, ...]  # answers to the danger follow-up questions
    transcript: Transcript  # with each answer's producing turn
    all_tags: tuple[TagView, ...] = ()  # removed ones included (audience.tags only): the export's history
    tag_groups: tuple[DimensionGroup, ...] = ()  # every dimension, each with its tagged evidence
    notices: tuple[NoticeView, ...] = ()
    responses: tuple[ResponseView, ...] = ()
    stand_downs: tuple[StandDownView, ...] = ()  # oldest first (audience.follow_up only)
    practitioner_email: str | None = None  # how a lead reaches the practitioner (reviewers only)
    lead_unreached_at: datetime | None = None  # when the practitioner was told to phone their lead
    # Each revision as a reader is shown it (a closed answer's option labels), by (question id, revision)
    revision_words: Mapping[tuple[str, int], str] = field(default_factory=dict)
    adds_to: LinkedCase | None = None  # the earlier case this one adds to
    added_to_by: tuple[LinkedCase, ...] = ()  # the submitted cases that add to this one, oldest first
    what_next: WhatNext | None = None  # sharing log, outcomes, reviews (reviewers only; issue #12)
    concerns: tuple[ConcernEvidence, ...] = ()  # each concern with what / when / how known (issue #18)
    family_needs: tuple[FamilyNeed, ...] = ()  # each need ticked: who, what, since when, service (#18)
    child: ChildView | None = None  # #12: case-record link, assignment, child's chronology (leads only)
    completeness: Completeness = field(default_factory=Completeness)  # what the record lacks, as facts (#18)

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def reference(self) -> str:
        return self.record.reference

    @property
    def mode(self) -> str:
        return self.record.mode

    @property
    def practitioner(self) -> str | None:
        return self.record.practitioner

    @property
    def team(self) -> str | None:
        return self.record.team

    @property
    def submitted_at(self) -> datetime | None:
        return self.record.submitted_at

    @property
    def bank_version(self) -> str:
        return self.record.bank_version

    @property
    def stage_label(self) -> str | None:  # "Request for Support (screening only)", issue #12
        return stage_label(self.record.submitted_stage)

    @property
    def urgent(self) -> bool:
        """A danger report after the latest stand-down (bot.store.repository.urgent_now)."""
        return self.record.urgent

    @property
    def flagged(self) -> bool:
        """Danger was reported at some time, whether or not a lead has stood the flag down since."""
        return bool(self.urgent_messages)

    @property
    def urgent_first_at(self) -> datetime | None:
        return self.record.urgent_first_at

    @property
    def submitted(self) -> bool:
        """False: an urgent case its practitioner is still writing (only leads see it)."""
        return self.record.status == AssessmentStatus.SUBMITTED

    @property
    def reviewer(self) -> bool:
        return self.audience.reviewer

    @property
    def shows_tags(self) -> bool:
        """VAF tags are shown to leads only, and there are none until the case is submitted."""
        return self.audience.tags and self.submitted

    @property
    def shows_urgent_follow_up(self) -> bool:
        return self.audience.follow_up


@dataclass(frozen=True)
class CaseView(CaseDocument):
    """The case page: the case document, the case's access history, and what this viewer may do now."""

    history: tuple[HistoryEvent, ...] = ()
    can_decide: bool = False
    can_close: bool = False
    can_reopen: bool = False
    can_ask_full: bool = False  # a Request for Support a reviewer may send back for the full assessment
    can_tag: bool = False  # a lead, while the case is not closed
    can_respond: bool = False  # a lead may record what they did (an urgent case that is not closed)
    can_stand_down: bool = False  # a lead may stand the flag down (an urgent case that is not closed)
    can_send_documents: bool = False  # issue #12: a lead (Action.SEND_DOCUMENTS), once there is a decision
    can_change_details: bool = False  # issue #12: the same lead, whether or not there is a decision yet
    documents: tuple[MadeDocument, ...] = ()
    hold: HoldState | None = None  # issue #31: the legal hold, for who may set or lift one (HOLD_CASES)
