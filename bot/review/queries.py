"""Queries for the review pages. Reads only: the service owns transactions and audit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.local_time import day_start
from bot.domain.referral import ReferralStatus
from bot.domain.vocabulary import URGENT_UNSUBMITTED
from bot.review.records import ASSIGNED_TO_ME, UNASSIGNED, WAITING_STATUSES, CaseFilters, Viewer
from bot.review.review_queries import next_review_on
from bot.review.scope import case_scope
from bot.store.models import Assessment, AuditEvent, User
from bot.store.repository import urgent_now
from bot.store.review_models import (
    Decision,
    DecisionAction,
    DecisionPathway,
    EvidenceTag,
    Referral,
    ReferralStatusChange,
)
from bot.store.urgent_models import Notification, UrgentResponse

# The case list shows every urgent case not yet submitted above each page; this many at most (the most
# recently flagged), so that a page stays bounded even if a team leaves many unsubmitted.
PINNED_LIMIT = 50

# Dates typed by a lead are days in England; the store keeps UTC.


def viewer(session: Session, user_id: int, address: str) -> Viewer | None:
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Viewer(user.id, user.username, user.role, user.team_id, address)


def case_in_scope(session: Session, who: Viewer, case_id: int) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.id == case_id, case_scope(who)))


def referral_of(session: Session, assessment_id: int) -> Referral | None:
    return session.scalar(select(Referral).where(Referral.assessment_id == assessment_id))


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
        case_scope(who),
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
Row = tuple[Assessment, str, bool, date | None, int | None]


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


def notices_of(session: Session, assessment_id: int) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.assessment_id == assessment_id)
            .order_by(Notification.created_at, Notification.id)
        )
    )


def responses_of(session: Session, assessment_id: int) -> list[UrgentResponse]:
    return list(
        session.scalars(
            select(UrgentResponse)
            .where(UrgentResponse.assessment_id == assessment_id)
            .order_by(UrgentResponse.recorded_at, UrgentResponse.id)
        )
    )


def decisions_of(session: Session, referral_id: int) -> list[Decision]:
    return list(
        session.scalars(
            select(Decision).where(Decision.referral_id == referral_id).order_by(Decision.id.desc())
        )
    )


# A decision's child rows: its actions or its pathways.
Row = TypeVar("Row", DecisionAction, DecisionPathway)


def actions_of(session: Session, decision_ids: Iterable[int]) -> dict[int, list[DecisionAction]]:
    """The actions of all the given decisions in one query (not one per decision), by decision id."""
    return _by_decision(session, DecisionAction, decision_ids)


def pathways_of(session: Session, decision_ids: Iterable[int]) -> dict[int, list[DecisionPathway]]:
    """The pathways of all the given decisions in one query, by decision id, in the order the lead chose."""
    return _by_decision(session, DecisionPathway, decision_ids)


def _by_decision(session: Session, model: type[Row], decision_ids: Iterable[int]) -> dict[int, list[Row]]:
    """A decision's rows of `model` (each has `decision_id` and `position`) for every decision at once."""
    wanted = set(decision_ids)
    result: dict[int, list[Row]] = {decision_id: [] for decision_id in wanted}
    if not wanted:
        return result
    rows = session.scalars(
        select(model).where(model.decision_id.in_(wanted)).order_by(model.decision_id, model.position)
    )
    for row in rows:
        result[row.decision_id].append(row)
    return result


def tags_of(session: Session, assessment_id: int, *, active_only: bool = False) -> list[EvidenceTag]:
    """A case's evidence tags in the order they were made; removed ones too unless `active_only`."""
    query = select(EvidenceTag).where(EvidenceTag.assessment_id == assessment_id)
    if active_only:
        query = query.where(EvidenceTag.removed_at.is_(None))
    return list(session.scalars(query.order_by(EvidenceTag.id)))


def active_dimensions(session: Session, assessment_id: int, question_id: str, revision: int) -> set[str]:
    return set(
        session.scalars(
            select(EvidenceTag.dimension).where(
                EvidenceTag.assessment_id == assessment_id,
                EvidenceTag.question_id == question_id,
                EvidenceTag.answer_revision == revision,
                EvidenceTag.removed_at.is_(None),
            )
        )
    )


def status_changes_of(session: Session, referral_id: int) -> list[ReferralStatusChange]:
    return list(
        session.scalars(
            select(ReferralStatusChange)
            .where(ReferralStatusChange.referral_id == referral_id)
            .order_by(ReferralStatusChange.id)
        )
    )


def history_of(session: Session, assessment_id: int) -> list[tuple[AuditEvent, str | None]]:
    """A case's audit events, newest first, each with the username of the user who acted (if one did):
    one statement however many people appear in the history."""
    actor = and_(AuditEvent.actor_kind == "user", AuditEvent.actor_id == cast(User.id, String))
    rows = session.execute(
        select(AuditEvent, User.username)
        .outerjoin(User, actor)
        .where(AuditEvent.assessment_id == assessment_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return [(event, username) for event, username in rows]


def usernames(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """One statement even when there is nobody to look up, so that a case page reads in the same number of
    statements whether or not anyone has decided, tagged or been notified yet."""
    wanted = {i for i in ids if i is not None}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all()
    return {user_id: name for user_id, name in rows}
