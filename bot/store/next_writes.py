"""Writing a case's "What happened next" (issue #12): a sharing-log entry, a pathway outcome, a review date.

The review checks the form (bot.review.next_checks), its scope and role, and writes the audit event; the rows
are written here, in the caller's transaction, so only the store touches the ORM models (issue #29). Entries
are never edited or deleted: a correction is a new entry naming the one it corrects (`corrects_id`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.outcome_models import CaseReview, PathwayOutcome, SharingEntry


def sharing_ids(session: Session, assessment_id: int) -> set[int]:
    """The ids of the case's sharing entries, which a correction may name."""
    return set(session.scalars(select(SharingEntry.id).where(SharingEntry.assessment_id == assessment_id)))


def outcome_ids(session: Session, assessment_id: int) -> set[int]:
    """The ids of the case's outcomes, which a correction may name."""
    return set(
        session.scalars(select(PathwayOutcome.id).where(PathwayOutcome.assessment_id == assessment_id))
    )


def add_sharing(
    session: Session,
    *,
    assessment_id: int,
    shared_what: str,
    recipient: str | None,
    partner: str | None,
    shared_on: date,
    method: str,
    lawful_basis: str,
    decision_pathway_id: int | None,
    corrects_id: int | None,
    recorded_by: int,
    recorded_at: datetime,
) -> int:
    """The new entry's id."""
    return _inserted(
        session,
        SharingEntry(
            assessment_id=assessment_id,
            shared_what=shared_what,
            recipient=recipient,
            partner=partner,
            shared_on=shared_on,
            method=method,
            lawful_basis=lawful_basis,
            decision_pathway_id=decision_pathway_id,
            corrects_id=corrects_id,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        ),
    )


def add_outcome(
    session: Session,
    *,
    assessment_id: int,
    decision_pathway_id: int,
    pathway: str,
    outcome: str,
    outcome_on: date,
    note: str | None,
    corrects_id: int | None,
    recorded_by: int,
    recorded_at: datetime,
) -> int:
    """The new outcome's id."""
    return _inserted(
        session,
        PathwayOutcome(
            assessment_id=assessment_id,
            decision_pathway_id=decision_pathway_id,
            pathway=pathway,
            outcome=outcome,
            outcome_on=outcome_on,
            note=note,
            corrects_id=corrects_id,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        ),
    )


def add_review(
    session: Session,
    *,
    assessment_id: int,
    due_on: date,
    outcome_id: int | None,
    set_by: int,
    set_at: datetime,
) -> bool:
    """Add a review date unless the case already has one that day (one review, one reminder): True if added.
    Its source is the outcome that set it, else the lead."""
    exists = session.scalar(
        select(CaseReview.id).where(CaseReview.assessment_id == assessment_id, CaseReview.due_on == due_on)
    )
    if exists is not None:
        return False
    session.add(
        CaseReview(
            assessment_id=assessment_id,
            due_on=due_on,
            source="outcome" if outcome_id is not None else "lead",
            outcome_id=outcome_id,
            set_by=set_by,
            set_at=set_at,
        )
    )
    session.flush()
    return True


def _inserted(session: Session, row: SharingEntry | PathwayOutcome) -> int:
    """Add an entry of the append-only logs and flush it, for its id (the caller's transaction commits)."""
    session.add(row)
    session.flush()
    return row.id
