"""The few statements a report reads: live, submitted assessments of a period and scope, the closed answers
the breakdowns count, and their referrals' decisions.

Each is one statement however many assessments, and each filters by the same subquery, so a figure can never
count a case the others leave out. Rehearsal assessments never match (guardrail 8: practice never counts).
Free text is never selected: only the values of closed questions (choices and ages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from bot.domain.records import WITHDRAWN
from bot.store.models import Answer, Assessment, Team
from bot.store.review_models import Decision, Referral


@dataclass(frozen=True)
class Scope:
    """Which concerns a report counts: one team's, or every team's (`team_id` None)."""

    team_id: int | None
    starts: datetime  # the first instant of the period, inclusive
    ends: datetime  # the instant after the period ends


@dataclass(frozen=True)
class ConcernRow:
    assessment_id: int
    submitted_at: datetime
    urgent: bool


@dataclass(frozen=True)
class DecisionRow:
    assessment_id: int
    decided_at: datetime
    pathway: str
    review_date: date | None
    feedback_given: bool
    referral_status: str


def _concerns(scope: Scope) -> Select[tuple[int]]:
    query = select(Assessment.id).where(
        Assessment.mode == "live",
        Assessment.status == "submitted",
        Assessment.submitted_at >= scope.starts,
        Assessment.submitted_at < scope.ends,
    )
    return query if scope.team_id is None else query.where(Assessment.team_id == scope.team_id)


def concerns(session: Session, scope: Scope) -> list[ConcernRow]:
    rows = session.execute(
        select(Assessment.id, Assessment.submitted_at, Assessment.urgent).where(
            Assessment.id.in_(_concerns(scope).scalar_subquery())
        )
    )
    return [ConcernRow(aid, submitted_at, bool(urgent)) for aid, submitted_at, urgent in rows]


def closed_answers(
    session: Session, scope: Scope, question_ids: Iterable[str]
) -> dict[tuple[int, str], tuple[str, object]]:
    """(assessment, question) -> (status, value) of each current answer to the given questions; a question
    whose latest revision was withdrawn (the practitioner started again) has no current answer."""
    rows = session.execute(
        select(Answer.assessment_id, Answer.question_id, Answer.revision, Answer.status, Answer.value)
        .where(
            Answer.assessment_id.in_(_concerns(scope).scalar_subquery()),
            Answer.question_id.in_(list(question_ids)),
        )
        .order_by(Answer.assessment_id, Answer.question_id, Answer.revision)
    )
    current: dict[tuple[int, str], tuple[str, object]] = {}
    for assessment_id, question_id, _revision, status, value in rows:
        current[(assessment_id, question_id)] = (status, value)  # ordered by revision: the last one wins
    return {key: answer for key, answer in current.items() if answer[0] != WITHDRAWN}


def decisions(session: Session, scope: Scope) -> list[DecisionRow]:
    """Every decision on the period's concerns, oldest first (the first is when the case was decided; the
    last is the decision that stands)."""
    rows = session.execute(
        select(
            Referral.assessment_id,
            Decision.decided_at,
            Decision.pathway,
            Decision.review_date,
            Decision.feedback,
            Referral.status,
        )
        .join(Referral, and_(Referral.id == Decision.referral_id))
        .where(Referral.assessment_id.in_(_concerns(scope).scalar_subquery()))
        .order_by(Decision.decided_at, Decision.id)
    )
    return [
        DecisionRow(aid, decided_at, pathway, review_date, bool(feedback and feedback.strip()), status)
        for aid, decided_at, pathway, review_date, feedback, status in rows
    ]


def teams(session: Session) -> list[tuple[int, str]]:
    return [
        (team_id, name) for team_id, name in session.execute(select(Team.id, Team.name).order_by(Team.name))
    ]
