"""Reading a case's "What happened next" (issue #12): its sharing log, outcomes and review dates, oldest
first, and the pathway keys the log names. Reads only, in the caller's transaction; the rows go out typed as
bot.store.review_rows' protocols, so only the store names the ORM models (issue #29)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.outcome_models import CaseReview, PathwayOutcome, SharingEntry
from bot.store.review_models import DecisionPathway
from bot.store.review_rows import CaseReviewRow, OutcomeRow, SharingRow


def sharing_of(session: Session, assessment_id: int) -> list[SharingRow]:
    return list(
        session.scalars(
            select(SharingEntry)
            .where(SharingEntry.assessment_id == assessment_id)
            .order_by(SharingEntry.shared_on, SharingEntry.id)
        )
    )


def outcomes_of(session: Session, assessment_id: int) -> list[OutcomeRow]:
    return list(
        session.scalars(
            select(PathwayOutcome)
            .where(PathwayOutcome.assessment_id == assessment_id)
            .order_by(PathwayOutcome.outcome_on, PathwayOutcome.id)
        )
    )


def reviews_of(session: Session, assessment_id: int) -> list[CaseReviewRow]:
    """In no set order: the reader sorts them by due date with the standing decision's own."""
    return list(session.scalars(select(CaseReview).where(CaseReview.assessment_id == assessment_id)))


def pathway_keys(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Pathway keys by decision_pathways id, for the ids given (one statement; none for no ids)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(DecisionPathway.id, DecisionPathway.pathway).where(DecisionPathway.id.in_(wanted))
    ).all()
    return {pid: key for pid, key in rows}
