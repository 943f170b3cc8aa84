"""How many urgent notices are in the outbox in each state, for the operators' metrics (issue #35).

A read, not a change: no unit of work and no audit event. Counts only, never which case or lead a notice is
about.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.urgent_models import NOTICE_STATUSES, Notification


def notice_counts(session_factory: sessionmaker[Session]) -> dict[str, int]:
    """Every notice status with how many notices have it (0 when none)."""
    with session_factory() as session:
        rows = session.execute(select(Notification.status, func.count()).group_by(Notification.status)).all()
    counts = dict.fromkeys(NOTICE_STATUSES, 0)
    counts.update({status: int(count) for status, count in rows})
    return counts
