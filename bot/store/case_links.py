"""Assessments that add to one another (issue #26 item 9), read in one statement for any number of cases:
the review decides what each case shows (bot.review.links); the SQL is here, so only the store touches the
ORM models (issue #29)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.store.models import Assessment
from bot.store.review_rows import LinkedRow


def linked_rows(session: Session, ids: Collection[int], earlier_ids: Collection[int]) -> list[LinkedRow]:
    """The cases `earlier_ids` names, and the submitted cases that add to one of `ids`, oldest first."""
    return list(
        session.execute(
            select(Assessment.id, Assessment.reference, Assessment.submitted_at, Assessment.linked_from_id)
            .where(
                or_(
                    Assessment.id.in_(earlier_ids),
                    Assessment.linked_from_id.in_(ids) & Assessment.submitted_at.is_not(None),
                )
            )
            .order_by(Assessment.submitted_at, Assessment.id)
        ).all()
    )
