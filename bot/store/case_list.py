"""The lead's case list as SQL: which cases a viewer's list holds, each with its shown status, whether
it is urgent now, its next review and its assigned lead, filtered, sorted and paged. Reads only: the review's
service owns the transaction and the audit. It lives in the store so only the store touches the ORM models
(issue #29); the rows go out as `CaseListRow`s, which bot.review.views turns into the page's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from bot.domain.case_list import ASSIGNED_TO_ME, UNASSIGNED, WAITING_STATUSES, CaseFilters, Viewer
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.local_time import day_start
from bot.domain.referral import ReferralStatus
from bot.domain.vocabulary import URGENT_UNSUBMITTED
from bot.store.case_scope import case_scope
from bot.store.models import Assessment
from bot.store.next_review import next_review_on
from bot.store.repository import urgent_now
from bot.store.review_models import Referral
from bot.store.review_rows import CaseListRow

# The case list shows every urgent case not yet submitted above each page; this many at most (the most
# recently flagged), so that a page stays bounded even if a team leaves many unsubmitted.
PINNED_LIMIT = 50

# Dates typed by a lead are days in England; the store keeps UTC.


def _unsubmitted() -> ColumnElement[bool]:
    # Within the list, an assessment still in progress is an urgent one (bot.review.scope admits those that
    # ever raised a flag, and `_filtered` keeps only those still urgent, not stood down since), or a Request
    # for Support sent back for the full assessment (issue #12), which is listed with the submitted cases
    # under its referral's status (waiting for the practitioner), not pinned.
    return and_(Assessment.status == AssessmentStatus.IN_PROGRESS, Assessment.full_requested_at.is_(None))


def case_status_column() -> Label[str]:
    """bot.domain.case_status.case_status in SQL, over `Assessment` outer-joined to its `Referral` (the twins
    are checked against each other on every combination by tests/review/test_case_status.py)."""
    return case(
        (_unsubmitted(), URGENT_UNSUBMITTED),
        else_=func.coalesce(Referral.status, ReferralStatus.SUBMITTED.value),
    ).label("case_status")


def _listed(who: Viewer) -> ColumnElement[bool]:
    """In the viewer's list: submitted cases in scope, and unsubmitted ones while urgent. An unsubmitted case
    whose flag a lead stood down leaves the list until it is submitted or flagged again; the lead can still
    open it by its link (the scope admits it), to read the stand-down or record what they did."""
    return and_(
        case_scope(role=who.role, team_id=who.team_id, user_id=who.user_id),
        or_(
            Assessment.status == AssessmentStatus.SUBMITTED,
            Assessment.full_requested_at.is_not(None),
            urgent_now(),
        ),
    )


def waiting_for_decision(status: ColumnElement[str]) -> ColumnElement[bool]:
    """Issue #12: a case waits for its lead from submission until a decision (or closing) ends the wait."""
    return status.in_(WAITING_STATUSES)


def _filtered(
    who: Viewer, filters: CaseFilters
) -> Select[tuple[Assessment, str, bool, date | None, int | None]]:
    status = case_status_column()
    urgent = urgent_now()
    next_review = next_review_on()
    query = (
        select(
            Assessment,
            status,
            urgent.label("urgent_now"),
            next_review.label("next_review"),
            Referral.assigned_to_id,
        )
        .outerjoin(Referral, Referral.assessment_id == Assessment.id)
        .where(_listed(who))
    )
    if filters.status is not None:
        query = query.where(status == filters.status)
    if filters.urgent is not None:
        query = query.where(urgent if filters.urgent else ~urgent)
    if filters.mode is not None:
        query = query.where(Assessment.mode == filters.mode)
    if filters.submitted_from is not None:
        query = query.where(Assessment.submitted_at >= day_start(filters.submitted_from))
    if filters.submitted_to is not None:
        query = query.where(Assessment.submitted_at < day_start(filters.submitted_to + timedelta(days=1)))
    if filters.reference:
        query = query.where(Assessment.reference.startswith(filters.reference, autoescape=True))
    if filters.review_before is not None:  # issue #12: reviews due or overdue
        query = query.where(next_review < filters.review_before)
    if filters.assigned == ASSIGNED_TO_ME:  # issue #12: the lead's own, or nobody's yet
        query = query.where(Referral.assigned_to_id == who.user_id)
    elif filters.assigned == UNASSIGNED:
        query = query.where(Referral.assigned_to_id.is_(None))
    return query


# A case, its status, whether it is urgent now, its next review date and its assigned lead (issue #12).
Row = tuple[CaseListRow, str, bool, date | None, int | None]


@dataclass(frozen=True)
class ListRows:
    pinned: list[Row]  # urgent, not yet submitted, most recently flagged first
    page: list[Row]  # the page of submitted cases, in the order asked for
    pinned_total: int
    submitted_total: int
    urgent_unsubmitted: int  # in scope, whatever the filters


def list_cases(session: Session, who: Viewer, filters: CaseFilters, page_size: int) -> ListRows:
    """The list in five statements however many cases: counts, the pinned rows, the page, and the number of
    urgent unsubmitted cases the filters may hide. Pinned rows head every page, whatever the sort, so the
    page of submitted cases is counted and paged on its own."""
    query = _filtered(who, filters)
    matched = query.subquery()
    pinned_flag = case(
        (and_(matched.c.status == AssessmentStatus.IN_PROGRESS, matched.c.full_requested_at.is_(None)), 1),
        else_=0,
    )
    counts = session.execute(
        select(func.count(), func.coalesce(func.sum(pinned_flag), 0)).select_from(matched)
    )
    total, pinned_total = counts.one()
    pinned = session.execute(
        query.where(_unsubmitted())
        .order_by(Assessment.urgent_first_at.desc(), Assessment.id.desc())
        .limit(PINNED_LIMIT)
    ).all()
    order = Assessment.submitted_at.desc() if filters.newest_first else Assessment.submitted_at.asc()
    tie = Assessment.id.desc() if filters.newest_first else Assessment.id.asc()
    # Soonest review first (issue #12); cases with none last, newest first among themselves.
    by_review = (next_review_on().is_(None), next_review_on()) if filters.by_review else ()
    if filters.by_waiting:
        # Longest wait first: cases still waiting for a decision, oldest submission first; then the rest.
        waiting = case((waiting_for_decision(case_status_column()), 0), else_=1)
        order, tie = Assessment.submitted_at.asc(), Assessment.id.asc()
        by_review = (waiting,)
    page = session.execute(
        query.where(~_unsubmitted())
        .order_by(*by_review, order, tie)
        .limit(page_size)
        .offset((filters.page - 1) * page_size)
    ).all()
    in_scope = session.scalar(
        select(func.count()).select_from(Assessment).where(_listed(who), _unsubmitted())
    )
    return ListRows(
        pinned=[(row[0], row[1], bool(row[2]), row[3], row[4]) for row in pinned],
        page=[(row[0], row[1], bool(row[2]), row[3], row[4]) for row in page],
        pinned_total=int(pinned_total),
        submitted_total=int(total) - int(pinned_total),
        urgent_unsubmitted=in_scope or 0,
    )
