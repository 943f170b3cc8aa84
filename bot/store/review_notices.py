"""Notices of the review's ordinary steps (issue #26): leads hear of a new submission, practitioners of a
lead's decision or feedback. Not only danger is worth a message.

Both reuse the urgent notices' outbox (bot.store.notices): rows written in the caller's own transaction (the
submission's, the decision's), so the change and its notices commit together or not at all, then delivered by
the same worker by email and Teams, retried with back-off, each attempt recorded and audited. A notice says
the reference, what happened and a link; never case content, never the lead's feedback. Practice runs
notify nobody, as with danger reports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.lifecycle import Mode
from bot.domain.roles import Action
from bot.store.models import Assessment, User
from bot.store.notices import NOTIFIER, enqueue_for, team_members_who
from bot.store.unit_of_work import UnitOfWork

SUBMITTED = "submitted_for_review"
DECISION = "decision_recorded"
FEEDBACK = "feedback_given"
FULL_REQUESTED = "full_assessment_requested"
ASSIGNED = "case_assigned"


def enqueue_submission_notices(session: Session, assessment: Assessment, now: datetime) -> int:
    """Queue a "submitted for review" notice for every active lead of the assessment's team who receives them,
    on each channel they have; returns how many. A practice run, or an assessment with no team, queues none
    and audits nothing."""
    if assessment.mode != Mode.LIVE or assessment.team_id is None:
        return 0
    leads = team_members_who(session, assessment.team_id, Action.RECEIVE_SUBMISSION_NOTICES)
    count = sum(enqueue_for(session, assessment, None, lead, SUBMITTED, now) for lead in leads)
    _audit(session, assessment, SUBMITTED, now, leads=len(leads), notices=count)
    return count


def enqueue_decision_notice(
    session: Session, assessment: Assessment, *, feedback: bool, now: datetime
) -> int:
    """Queue one notice to the practitioner who made the assessment, on each channel they have: "feedback
    from your lead" when the decision carries feedback for them, else "your lead has recorded a decision".
    Returns how many. A practice run, or a practitioner no longer active, queues none."""
    practitioner = assessment.practitioner
    if assessment.mode != Mode.LIVE or practitioner is None or not practitioner.active:
        return 0
    purpose = FEEDBACK if feedback else DECISION
    count = enqueue_for(session, assessment, None, practitioner, purpose, now)
    _audit(session, assessment, purpose, now, notices=count)
    return count


def enqueue_full_request_notice(session: Session, assessment: Assessment, now: datetime) -> int:
    """Queue one notice to the practitioner, on each channel they have, when a lead asks for the full
    assessment after their Request for Support (issue #12): the reference and a link, never the lead's
    message. Returns how many. A practice run, or a practitioner no longer active, queues none."""
    practitioner = assessment.practitioner
    if assessment.mode != Mode.LIVE or practitioner is None or not practitioner.active:
        return 0
    count = enqueue_for(session, assessment, None, practitioner, FULL_REQUESTED, now)
    _audit(session, assessment, FULL_REQUESTED, now, notices=count)
    return count


def enqueue_assignment_notice(session: Session, assessment: Assessment, lead_id: int, now: datetime) -> int:
    """Queue one notice to the lead a referral is now assigned to, on each channel they have (issue #12): the
    reference and a link, never case content. Returns how many. A practice run, or a lead no longer active,
    queues none (the caller does not call it when a lead assigns a case to themselves)."""
    lead = session.get_one(User, lead_id)
    if assessment.mode != Mode.LIVE or not lead.active:
        return 0
    count = enqueue_for(session, assessment, None, lead, ASSIGNED, now)
    _audit(session, assessment, ASSIGNED, now, notices=count)
    return count


def _audit(session: Session, assessment: Assessment, purpose: str, now: datetime, **counts: int) -> None:
    """The notifier's event, as for urgent notices: ids, the purpose and counts only."""
    UnitOfWork.at(session, NOTIFIER, now).audit(
        AuditAction.NOTIFICATION_ENQUEUED, assessment=assessment, purpose=purpose, **counts
    )
