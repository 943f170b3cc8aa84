"""The case list's review column and filter (issue #12), as SQL: a case's next review date, correlated to
`assessments`, in one expression both databases run. It lives in the store beside the case list's other SQL
(bot.store.case_list), so only the store touches the ORM models (issue #29).

A case's reviews are its `case_reviews` rows not yet held, and its standing decision's own review date (the
latest decision of its referral) unless a held `case_reviews` row has that date. The next is the earliest.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import aliased

from bot.store.models import Assessment
from bot.store.outcome_models import CaseReview
from bot.store.review_models import Decision, Referral


def next_review_on() -> ColumnElement[object]:
    open_review = (
        select(func.min(CaseReview.due_on))
        .where(CaseReview.assessment_id == Assessment.id, CaseReview.held_on.is_(None))
        .scalar_subquery()
    )
    later = aliased(Decision)
    held = aliased(CaseReview)
    standing_date = (
        select(Decision.review_date)
        .join(Referral, Referral.id == Decision.referral_id)
        .where(
            Referral.assessment_id == Assessment.id,
            Decision.review_date.is_not(None),
            ~select(later.id)
            .where(later.referral_id == Decision.referral_id, later.id > Decision.id)
            .exists(),
            ~select(held.id)
            .where(
                and_(
                    held.assessment_id == Assessment.id,
                    held.due_on == Decision.review_date,
                    held.held_on.is_not(None),
                )
            )
            .exists(),
        )
        .scalar_subquery()
    )
    return case(
        (open_review.is_(None), standing_date),
        (standing_date.is_(None), open_review),
        (open_review < standing_date, open_review),
        else_=standing_date,
    )
