"""The few statements a report reads (bot.reports.service): live, submitted assessments of a period and scope,
the closed answers the breakdowns count, and their referrals' decisions. They return counts and plain records,
never ORM rows, so only the store names the models (issue #29).

Each is one statement however many assessments, and each filters by the same subquery, so a figure can never
count a case the others leave out. Rehearsal assessments never match (guardrail 8: practice never counts).
Free text is never selected: only the values of closed questions (choices and ages). An age is sealed at rest
(revision 0036, bot.store.answer_values), so its rows are grouped one by one in SQL and opened and added up
here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, Text, case, cast, exists, func, select
from sqlalchemy.orm import Session, aliased

from bot.domain.lifecycle import AssessmentStatus, Mode
from bot.store.current_answers import is_current
from bot.store.models import Answer, Assessment, Team, User
from bot.store.outcome_models import PathwayOutcome
from bot.store.repository import urgent_now
from bot.store.review_models import Decision, DecisionPathway, Referral


@dataclass(frozen=True)
class Scope:
    """Which concerns a report counts: one team's, or every team's (`team_id` None)."""

    team_id: int | None
    starts: datetime  # the first instant of the period, inclusive
    ends: datetime  # the instant after the period ends


# (status, the value as JSON text) -> how many concerns have that current answer, for one question.
AnswerCounts = dict[tuple[str, str | None], int]


@dataclass(frozen=True)
class ConcernCount:
    """How many of the period's concerns fall in one month (an index into the months asked for), went on
    into the exploratory assessment or not, and reported immediate danger or not."""

    month: int
    full: bool
    urgent: bool
    count: int


@dataclass(frozen=True)
class StandingCount:
    """How many decided concerns have a standing (latest) decision like this. `review` is "due" (from
    today to `soon`), "overdue" (before today) or "none"."""

    feedback_given: bool
    referral_status: str
    review: str
    count: int


@dataclass(frozen=True)
class Reporter:
    """Who asks for a report, read fresh: their role decides which teams' figures they may see."""

    id: int
    role: str
    team_id: int
    team_name: str


def reporter(session: Session, user_id: int) -> Reporter | None:
    """The active account with this id, or None for an unknown or deactivated one."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Reporter(user.id, user.role, user.team_id, user.team.name)


def _concerns(scope: Scope) -> Select[tuple[int]]:
    query = select(Assessment.id).where(
        Assessment.mode == Mode.LIVE,
        Assessment.status == AssessmentStatus.SUBMITTED,
        Assessment.submitted_at >= scope.starts,
        Assessment.submitted_at < scope.ends,
    )
    return query if scope.team_id is None else query.where(Assessment.team_id == scope.team_id)


def concern_counts(
    session: Session, scope: Scope, month_starts: Sequence[datetime], full_assessment_question: str
) -> list[ConcernCount]:
    """The period's concerns counted by the database by month, stage and urgency. `month_starts` are the
    instants (UTC) at which the second and later months begin in local time, so a concern submitted at
    00:30 on 1 April, British Summer Time, counts in April, as the lead would read it."""
    full = exists().where(
        Answer.assessment_id == Assessment.id, Answer.question_id == full_assessment_question, is_current()
    )
    went_on = case((full, 1), else_=0).label("full")
    concerns = Assessment.id.in_(_concerns(scope).scalar_subquery())
    # Urgent as the store defines it: a danger report a lead has not stood down (issue #26).
    urgent = case((urgent_now(), 1), else_=0).label("urgent")
    if not month_starts:
        # A period within one month (a day, a calendar month): every concern is in month 0. A CASE with no
        # WHEN is not SQL (issue #28: "CASE ELSE 0 END" failed every monthly report).
        rows = session.execute(
            select(went_on, urgent, func.count()).where(concerns).group_by(went_on, urgent)
        )
        return [ConcernCount(0, bool(on), bool(urgent), int(n)) for on, urgent, n in rows]
    month = case(
        *((Assessment.submitted_at < start, index) for index, start in enumerate(month_starts)),
        else_=len(month_starts),
    ).label("month")
    rows = session.execute(
        select(month, went_on, urgent, func.count()).where(concerns).group_by(month, went_on, urgent)
    )
    return [ConcernCount(int(index), bool(on), bool(urgent), int(n)) for index, on, urgent, n in rows]


def answer_counts(session: Session, scope: Scope, question_ids: Iterable[str]) -> dict[str, AnswerCounts]:
    """For each question, how many of the period's concerns have each current answer, counted by the
    database: one row per distinct answer, not one per concern (a multiple choice answer is one row per
    combination of choices ticked). Values come back as JSON text, the same on SQLite and PostgreSQL. A sealed
    value (an age, or a closed answer typed exactly as its id) cannot be grouped by in SQL: each is its own
    row, opened by its column type, and added to the count of the same JSON."""
    wanted = list(question_ids)
    value = cast(Answer.value, Text)
    rows = session.execute(
        select(Answer.question_id, Answer.status, value, Answer.sealed_value, func.count())
        .where(
            Answer.assessment_id.in_(_concerns(scope).scalar_subquery()),
            Answer.question_id.in_(wanted),
            is_current(),
        )
        .group_by(Answer.question_id, Answer.status, value, Answer.sealed_value)
    )
    counts: dict[str, AnswerCounts] = {question_id: {} for question_id in wanted}
    for question_id, status, text, sealed, count in rows:
        key = (status, text if sealed is None else sealed)
        counts[question_id][key] = counts[question_id].get(key, 0) + int(count)
    return counts


def standing_counts(session: Session, scope: Scope, today: date, soon: date) -> list[StandingCount]:
    """The decision that stands (the latest) on each decided concern of the period, counted by feedback, the
    referral's status and whether its review is due or overdue (one row per decision: its pathways are
    counted by `standing_pathways`)."""
    latest = func.row_number().over(
        partition_by=Decision.referral_id, order_by=(Decision.decided_at.desc(), Decision.id.desc())
    )
    decisions = (
        select(
            # Sealed at rest (0035): whether feedback was recorded is all SQL can see, and all a report needs.
            case((Decision.feedback.is_not(None), 1), else_=0).label("feedback"),
            Referral.status,
            case(
                (Decision.review_date < today, "overdue"),
                (Decision.review_date <= soon, "due"),
                else_="none",
            ).label("review"),
            latest.label("latest"),
        )
        .join(Referral, Referral.id == Decision.referral_id)
        .where(Referral.assessment_id.in_(_concerns(scope).scalar_subquery()))
        .subquery()
    )
    rows = session.execute(
        select(decisions.c.feedback, decisions.c.status, decisions.c.review, func.count())
        .where(decisions.c.latest == 1)
        .group_by(decisions.c.feedback, decisions.c.status, decisions.c.review)
    )
    return [StandingCount(bool(fb), status, review, int(n)) for fb, status, review, n in rows]


def standing_pathways(session: Session, scope: Scope) -> dict[str, int]:
    """How many decided concerns of the period have each pathway in their standing (latest) decision. A
    decision that combines two pathways counts once under each, so these may add up to more than the
    decided concerns."""
    latest = func.row_number().over(
        partition_by=Decision.referral_id, order_by=(Decision.decided_at.desc(), Decision.id.desc())
    )
    decisions = (
        select(Decision.id, latest.label("latest"))
        .join(Referral, Referral.id == Decision.referral_id)
        .where(Referral.assessment_id.in_(_concerns(scope).scalar_subquery()))
        .subquery()
    )
    rows = session.execute(
        select(DecisionPathway.pathway, func.count())
        .join(decisions, decisions.c.id == DecisionPathway.decision_id)
        .where(decisions.c.latest == 1)
        .group_by(DecisionPathway.pathway)
    )
    return {pathway: int(n) for pathway, n in rows}


def pathway_outcomes(session: Session, scope: Scope) -> dict[tuple[str, str], int]:
    """Issue #12: (pathway, outcome) -> how many of the period's concerns have that outcome recorded on that
    pathway. An outcome a lead corrected counts as its correction; a concern counts once under each outcome it
    has (partner support started, then ended: once under each), so these may add up to more than the
    concerns."""
    correction = aliased(PathwayOutcome)
    rows = session.execute(
        select(
            PathwayOutcome.pathway,
            PathwayOutcome.outcome,
            func.count(PathwayOutcome.assessment_id.distinct()),
        )
        .where(
            PathwayOutcome.assessment_id.in_(_concerns(scope).scalar_subquery()),
            ~exists().where(correction.corrects_id == PathwayOutcome.id),
        )
        .group_by(PathwayOutcome.pathway, PathwayOutcome.outcome)
    )
    return {(pathway, outcome): int(n) for pathway, outcome, n in rows}


def decision_days(session: Session, scope: Scope) -> list[float]:
    """For each decided concern of the period, the days from its submission to its first decision."""
    rows = session.execute(
        select(Assessment.submitted_at, func.min(Decision.decided_at))
        .join(Referral, Referral.assessment_id == Assessment.id)
        .join(Decision, Decision.referral_id == Referral.id)
        .where(Assessment.id.in_(_concerns(scope).scalar_subquery()))
        .group_by(Assessment.id, Assessment.submitted_at)
    )
    return [(first - submitted) / timedelta(days=1) for submitted, first in rows]


def teams(session: Session) -> list[tuple[int, str]]:
    return [
        (team_id, name) for team_id, name in session.execute(select(Team.id, Team.name).order_by(Team.name))
    ]
