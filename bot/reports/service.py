"""ReportService: a period's figures for a lead (their team) or a coordinator (any team, or all), audited.

Who may see which figures is the domain's permission table: VIEW_TEAM_REPORTS gives a person their own
team's figures, VIEW_ORGANISATION_REPORTS every team's. Every view and every export writes an audit event
(who, which scope, which period, which format) in the transaction that read the figures; the figures
themselves are never in the trail. A request for a team outside the viewer's reach is refused and audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.local_time import day_start
from bot.domain.records import Actor
from bot.domain.roles import Action, permits
from bot.questions import QuestionBank
from bot.reports.breakdowns import Breakdown, load_breakdowns
from bot.reports.builder import Facts, Period, build_report, month_starts, review_window
from bot.reports.figures import Report
from bot.store import report_queries as queries
from bot.store.clock import utcnow
from bot.store.report_queries import Reporter
from bot.store.unit_of_work import UnitOfWork, read_only, write

ALL_TEAMS = "All teams"
MAX_PERIOD_DAYS = 3 * 366  # a board pack is a quarter or a year; longer asks are refused, not slow


class LeadsAndCoordinatorsOnly(NotFoundError):
    """The viewer may not see this report (or any report): shown as "not found", like a case."""


@dataclass(frozen=True)
class ReportScope:
    """What a viewer may choose between: their own team only, or every team (then `teams` lists them)."""

    own_team_id: int
    own_team: str
    teams: tuple[tuple[int, str], ...] = ()

    @property
    def organisation(self) -> bool:
        return bool(self.teams)


class ReportService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bank: QuestionBank,
        *,
        threshold: int = 5,
        clock: Callable[[], datetime] = utcnow,
        breakdowns: tuple[Breakdown, ...] | None = None,
    ) -> None:
        self._sessions = session_factory
        self._bank = bank
        self._threshold = threshold
        self._clock = clock
        self._breakdowns = load_breakdowns(bank) if breakdowns is None else breakdowns
        assessment = next(section for section in bank.sections if section.part == "assessment")
        self._full_assessment_question = assessment.question_ids[0]

    def scope_of(self, user_id: int) -> ReportScope:
        """The teams this user may report on; LeadsAndCoordinatorsOnly if none."""
        with read_only(self._sessions) as session:
            user = _reporter(session, user_id)
            teams = tuple(queries.teams(session)) if _organisation(user) else ()
            return ReportScope(user.team_id, user.team_name, teams)

    def report(
        self, user_id: int, address: str, period: Period, team_id: int | None, format_: str = "page"
    ) -> Report:
        """The period's figures for one team (None: the viewer's own, or for a coordinator, every team).

        The view is audited in a short transaction of its own, then the figures are read without the write
        lock, so a board pack over thousands of cases never holds up a practitioner's answer on SQLite."""
        _check_period(period)

        def audit_view(session: Session) -> tuple[int | None, dict[int, str], bool]:
            user = _reporter(session, user_id)
            names = dict(queries.teams(session))
            refused = team_id is not None and team_id != user.team_id and not _organisation(user)
            shown = user.team_id if team_id is None and not _organisation(user) else team_id
            action = (
                AuditAction.REPORT_REFUSED
                if refused
                else AuditAction.REPORT_VIEWED
                if format_ == "page"
                else AuditAction.REPORT_EXPORTED
            )
            if not refused and shown is not None and shown not in names:
                raise NotFoundError({"team": "There is no such team."})
            self._audit(session, Actor.user(user.id), action, address, period, shown, format_)
            return shown, names, refused

        shown, names, refused = write(self._sessions, audit_view)
        if refused:
            raise LeadsAndCoordinatorsOnly({"team": "You can see the figures of your own team only."})
        return self._build(period, shown, ALL_TEAMS if shown is None else names[shown])

    def report_for_cli(self, actor: Actor, period: Period, team: str | None, format_: str) -> Report:
        """`bot report`: an administrator on the server, for every team or one team by name."""
        _check_period(period)

        def audit_export(session: Session) -> int | None:
            by_name = {name: team_id for team_id, name in queries.teams(session)}
            if team is not None and team not in by_name:
                raise NotFoundError({"team": f"There is no team called {team!r}."})
            team_id = None if team is None else by_name[team]
            self._audit(session, actor, AuditAction.REPORT_EXPORTED, None, period, team_id, format_)
            return team_id

        return self._build(period, write(self._sessions, audit_export), team or ALL_TEAMS)

    def _build(self, period: Period, team_id: int | None, scope_name: str) -> Report:
        scope = queries.Scope(team_id, day_start(period.first), day_start(period.last + timedelta(days=1)))
        question_ids = {breakdown.question.id for breakdown in self._breakdowns}
        made_at = self._clock()
        with read_only(self._sessions) as session:
            today, soon = review_window(made_at)
            facts = Facts(
                concerns=queries.concern_counts(
                    session, scope, month_starts(period), self._full_assessment_question
                ),
                answers=queries.answer_counts(session, scope, question_ids),
                standing=queries.standing_counts(session, scope, today, soon),
                pathways=queries.standing_pathways(session, scope),
                outcomes=queries.pathway_outcomes(session, scope),
                decision_days=queries.decision_days(session, scope),
            )
        return build_report(
            facts,
            self._breakdowns,
            scope=scope_name,
            period=period,
            made_at=made_at,
            threshold=self._threshold,
        )

    def _audit(
        self,
        session: Session,
        actor: Actor,
        action: AuditAction,
        address: str | None,
        period: Period,
        team_id: int | None,
        format_: str,
    ) -> None:
        detail: dict[str, object] = {
            "period_from": period.first.isoformat(),
            "period_to": period.last.isoformat(),
            "team_id": team_id,
            "format": format_,
        }
        if address is not None:
            detail["address"] = address
        UnitOfWork(session, actor, self._clock).audit(action, **detail)


def _reporter(session: Session, user_id: int) -> Reporter:
    user = queries.reporter(session, user_id)
    if user is None or not permits(user.role, Action.VIEW_TEAM_REPORTS):
        raise LeadsAndCoordinatorsOnly({"report": "Reports are for leads and coordinators."})
    return user


def _organisation(user: Reporter) -> bool:
    return permits(user.role, Action.VIEW_ORGANISATION_REPORTS)


def _check_period(period: Period) -> None:
    if period.last < period.first:
        raise ValidationError({"to": "The end of the period must be on or after its start."})
    if (period.last - period.first).days > MAX_PERIOD_DAYS:
        raise ValidationError({"to": "Choose a period of three years or less."})
