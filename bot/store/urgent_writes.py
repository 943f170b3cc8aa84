"""Writing what a lead did about an urgent flag, and a lead standing the flag down (issue #26).

The review checks scope, role, text and the case's state (bot.review.urgent_follow_up, urgent_stand_down);
the rows are written here, in the caller's transaction, so only the store touches the ORM models (issue #29).
Both notes are kept verbatim.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import UrgentFlag
from bot.store.urgent_models import UrgentResponse, UrgentStandDown


def add_urgent_response(
    session: Session, *, assessment_id: int, responded_by: int, note: str, recorded_at: datetime
) -> int:
    """The lead's account, exactly as typed; the new row's id."""
    return _added(
        session,
        UrgentResponse(
            assessment_id=assessment_id, responded_by=responded_by, note=note, recorded_at=recorded_at
        ),
    )


def stand_down(
    session: Session, *, assessment_id: int, stood_down_by: int, reason: str, stood_down_at: datetime
) -> tuple[int, int | None]:
    """Stand down every danger report the case has so far (through its latest flag), with the reason exactly
    as typed; the new row's id and the latest flag's id."""
    latest_flag = session.scalar(
        select(func.max(UrgentFlag.id)).where(UrgentFlag.assessment_id == assessment_id)
    )
    row = UrgentStandDown(
        assessment_id=assessment_id,
        through_flag_id=latest_flag,
        stood_down_by=stood_down_by,
        reason=reason,
        stood_down_at=stood_down_at,
    )
    return _added(session, row), latest_flag


def _added(session: Session, row: UrgentResponse | UrgentStandDown) -> int:
    """The new row's id, flushed so the audit event written next in the transaction can name it."""
    session.add(row)
    session.flush()
    return row.id
