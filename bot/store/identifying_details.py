"""A case's identifying details (issue #12) in the store: its versions, oldest first, and a new version.

Each change is a new row, never an edit, so that every document keeps pointing at the version it was made
with. The review decides what a version holds and when a new one is needed (bot.review.case_details); the rows
are read and written here, in the caller's transaction, typed as bot.store.document_rows.DetailsRow, so only
the store touches the ORM models (issue #29).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.lifecycle import Mode
from bot.store.document_models import IdentifyingDetails
from bot.store.document_rows import DetailsRow
from bot.store.models import Assessment


def version_ids(session: Session, assessment_id: int) -> list[int]:
    """The ids of the case's versions, oldest first."""
    return list(
        session.scalars(
            select(IdentifyingDetails.id)
            .where(IdentifyingDetails.assessment_id == assessment_id)
            .order_by(IdentifyingDetails.id)
        )
    )


def version_of(session: Session, row: DetailsRow) -> int:
    """The row's place among its case's versions (1 for the first)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(IdentifyingDetails)
            .where(IdentifyingDetails.assessment_id == row.assessment_id, IdentifyingDetails.id <= row.id)
        )
        or 0
    )


def latest(session: Session, assessment_id: int) -> DetailsRow | None:
    return session.scalar(
        select(IdentifyingDetails)
        .where(IdentifyingDetails.assessment_id == assessment_id)
        .order_by(IdentifyingDetails.id.desc())
        .limit(1)
    )


def all_of(session: Session, assessment_id: int) -> list[DetailsRow]:
    """Every version, oldest first."""
    return list(
        session.scalars(
            select(IdentifyingDetails)
            .where(IdentifyingDetails.assessment_id == assessment_id)
            .order_by(IdentifyingDetails.id)
        )
    )


def live_child_names(session: Session) -> list[tuple[int, str]]:
    """(case id, child's name) for every version of every live case's details that names a child: the
    review compares the names itself, so that both databases collapse spaces alike."""
    rows = session.execute(
        select(IdentifyingDetails.assessment_id, IdentifyingDetails.child_name)
        .join(Assessment, Assessment.id == IdentifyingDetails.assessment_id)
        .where(Assessment.mode == Mode.LIVE, IdentifyingDetails.child_name.is_not(None))
    ).all()
    return [(assessment_id, child) for assessment_id, child in rows]


def add_version(
    session: Session,
    *,
    assessment_id: int,
    child_name: str | None,
    date_of_birth: date | None,
    address: str | None,
    school: str | None,
    carers: str | None,
    entered_by: int,
    entered_at: datetime,
) -> DetailsRow:
    """Write a new version in the caller's transaction (flushed, so it has its id)."""
    row = IdentifyingDetails(
        assessment_id=assessment_id,
        child_name=child_name,
        date_of_birth=date_of_birth,
        address=address,
        school=school,
        carers=carers,
        entered_by=entered_by,
        entered_at=entered_at,
    )
    session.add(row)
    session.flush()
    return row
