"""Reminders that a case review has fallen due (issue #12), to the leads of the case's team, through the
notices' outbox (bot.store.notices). A reminder says the reference and a link, never case content.

`queue_due_review_reminders(sessions, now)` is the whole job: the outbox worker calls it every pass with its
clock, and tests call it with a moved one. A review falls due on its date. Each is reminded once: the review's
`reminded_at` is set in the transaction that queues its notices, by an UPDATE that only an unreminded row
passes, so a second pass (or a second worker) queues nothing. The standing decision's own review date is a
review too: when it falls due, a `case_reviews` row is written for it (source "decision") holding when it was
reminded; the unique (case, date) pair keeps it to one.

Practice runs notify nobody, as with every other notice; their reviews are still marked, so they are not
looked at again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.lifecycle import Mode
from bot.domain.roles import Action
from bot.store.models import Assessment
from bot.store.notices import NOTIFIER, enqueue_for, team_members_who
from bot.store.outcome_models import CaseReview
from bot.store.review_models import Decision, Referral
from bot.store.unit_of_work import UnitOfWork

PURPOSE = "review_due"


def queue_due_review_reminders(sessions: sessionmaker[Session], now: datetime) -> int:
    """Queue a reminder for every review due by `now` that has had none; returns how many notices."""
    with sessions.begin() as session:
        _copy_decision_review_dates(session, now)
        due = session.scalars(
            select(CaseReview)
            .where(
                CaseReview.due_on <= now.date(),
                CaseReview.reminded_at.is_(None),
                CaseReview.held_on.is_(None),
            )
            .order_by(CaseReview.id)
        ).all()
        queued = 0
        for review in due:
            claimed = session.execute(
                update(CaseReview)
                .where(CaseReview.id == review.id, CaseReview.reminded_at.is_(None))
                .values(reminded_at=now)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            queued += _remind(session, session.get_one(Assessment, review.assessment_id), review, now)
        return queued


def _copy_decision_review_dates(session: Session, now: datetime) -> None:
    """A `case_reviews` row for each standing decision's review date that is due and not yet a row."""
    standing = select(func.max(Decision.id).label("id")).group_by(Decision.referral_id).subquery("standing")
    rows = session.execute(
        select(Referral.assessment_id, Decision.review_date)
        .join(Decision, Decision.referral_id == Referral.id)
        .join(standing, standing.c.id == Decision.id)
        .where(Decision.review_date.is_not(None), Decision.review_date <= now.date())
        .where(
            ~select(CaseReview.id)
            .where(
                CaseReview.assessment_id == Referral.assessment_id,
                CaseReview.due_on == Decision.review_date,
            )
            .exists()
        )
    ).all()
    for assessment_id, due_on in rows:
        session.add(CaseReview(assessment_id=assessment_id, due_on=due_on, source="decision", set_at=now))
    session.flush()


def _remind(session: Session, assessment: Assessment, review: CaseReview, now: datetime) -> int:
    if assessment.mode != Mode.LIVE or assessment.team_id is None:
        return 0
    leads = team_members_who(session, assessment.team_id, Action.RECEIVE_REVIEW_REMINDERS)
    count = sum(enqueue_for(session, assessment, None, lead, PURPOSE, now) for lead in leads)
    UnitOfWork.at(session, NOTIFIER, now).audit(
        AuditAction.NOTIFICATION_ENQUEUED,
        assessment=assessment,
        purpose=PURPOSE,
        review_id=review.id,
        leads=len(leads),
        notices=count,
    )
    return count
