"""Rows of the review tables turned into the plain records the pages and exports read.

Kept apart from the services so that the case document, the case list and the page's access history turn a
row into a record the same way; `names` maps user ids to usernames, read for a whole case in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.domain.audit_actions import AuditAction
from bot.domain.referral import ReferralStatus
from bot.domain.stages import SubmittedStage, stage_label
from bot.domain.vocabulary import NOTICE_PURPOSES, VAF_DIMENSIONS
from bot.questions import QuestionBank
from bot.review.pathway_records import PathwayView
from bot.review.records import (
    ActionView,
    CaseSummary,
    DecisionView,
    HistoryEvent,
    NoticeView,
    ResponseView,
    StandDownView,
    StatusChangeView,
    TagView,
)
from bot.store.review_rows import (
    AuditEventRow,
    CaseListRow,
    DecisionActionRow,
    DecisionPathwayRow,
    DecisionRow,
    EvidenceTagRow,
    NoticeRow,
    ResponseRow,
    StandDownRow,
    StatusChangeRow,
)

Names = dict[int, str]
TAG_ACTIONS = frozenset({AuditAction.EVIDENCE_TAGGED, AuditAction.EVIDENCE_UNTAGGED})
UNKNOWN = "unknown"


def summary(
    assessment: CaseListRow, status: str | None, urgent: bool, next_review: date | None = None
) -> CaseSummary:
    """`urgent`: a danger report after the latest stand-down, as the list's statement read it."""
    return CaseSummary(
        id=assessment.id,
        reference=assessment.reference,
        mode=assessment.mode,
        status=status or ReferralStatus.SUBMITTED,
        urgent=urgent,
        practitioner=assessment.practitioner.username if assessment.practitioner else None,
        submitted_at=assessment.submitted_at,
        urgent_first_at=assessment.urgent_first_at,
        stage_label=stage_label(
            SubmittedStage(assessment.submitted_stage) if assessment.submitted_stage else None
        ),
        next_review=next_review,
    )


def decision_view(
    decision: DecisionRow,
    pathways: Sequence[DecisionPathwayRow],
    actions: Sequence[DecisionActionRow],
    names: Names,
    *,
    made_on_screening: bool = False,
) -> DecisionView:
    return DecisionView(
        decided_by=names.get(decision.decided_by, UNKNOWN),
        decided_at=decision.decided_at,
        pathways=tuple(PathwayView(p.pathway, p.rationale, p.shared, p.owner, p.partner) for p in pathways),
        lawful_bases=tuple(decision.lawful_bases),
        consent=decision.consent,
        consent_reason=decision.consent_reason,
        review_date=decision.review_date,
        feedback=decision.feedback,
        feedback_given_on=decision.feedback_given_on,
        actions=tuple(ActionView(a.description, a.owner, a.due_date) for a in actions),
        made_on_screening=made_on_screening,
    )


def tag_view(row: EvidenceTagRow, names: Names) -> TagView:
    return TagView(
        id=row.id,
        question_id=row.question_id,
        answer_revision=row.answer_revision,
        dimension=row.dimension,
        note=row.note,
        tagged_by=names.get(row.tagged_by, UNKNOWN),
        tagged_at=row.tagged_at,
        removed_by=None if row.removed_by is None else names.get(row.removed_by, UNKNOWN),
        removed_at=row.removed_at,
    )


def status_change_view(change: StatusChangeRow, names: Names) -> StatusChangeView:
    by = names.get(change.changed_by or -1, UNKNOWN)
    return StatusChangeView(change.from_status, change.to_status, change.reason, by, change.changed_at)


def notice_view(notice: NoticeRow, names: Names) -> NoticeView:
    return NoticeView(
        recipient=names.get(notice.recipient_id, UNKNOWN),
        channel=notice.channel,
        purpose=notice.purpose,
        state=notice.status,
        attempts=notice.attempts,
        created_at=notice.created_at,
        sent_at=notice.sent_at,
    )


def response_view(response: ResponseRow, names: Names) -> ResponseView:
    return ResponseView(names.get(response.responded_by, UNKNOWN), response.note, response.recorded_at)


def stand_down_view(row: StandDownRow, username: str | None) -> StandDownView:
    return StandDownView(username or UNKNOWN, row.reason, row.stood_down_at)


def history_event(event: AuditEventRow, username: str | None, bank: QuestionBank) -> HistoryEvent:
    """`username` is the acting user's, joined to the event by bot.store.review_reads.history_of."""
    who = event.actor_kind
    if event.actor_kind == "user":
        who = username or f"user {event.actor_id}"
    elif event.actor_kind == "service":
        who = "the assessment service"
    detail = event.detail if isinstance(event.detail, dict) else {}
    about = None
    if event.action in TAG_ACTIONS:
        about = _tag_change_about(detail, bank)
    elif event.action.startswith("notification.") and detail.get("purpose") in NOTICE_PURPOSES:
        about = NOTICE_PURPOSES[str(detail["purpose"])]  # which notice: urgent, submitted, decision...
    return HistoryEvent(at=event.at, who=who, action=event.action, address=detail.get("address"), about=about)


def _tag_change_about(detail: dict[str, Any], bank: QuestionBank) -> str:
    """Which dimension on which answer, from the event's labels and ids (the note is never in the trail)."""
    dimension = VAF_DIMENSIONS.get(str(detail.get("dimension")), str(detail.get("dimension")))
    question_id = str(detail.get("question_id"))
    question = f'"{bank.question(question_id).text}"' if question_id in bank else f"question {question_id}"
    return f"{dimension}, on the answer to {question} (version {detail.get('answer_revision')})"
