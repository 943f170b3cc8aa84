"""Every figure of a report over a seeded store, checked against counts known in advance, with suppression.

The seed (North team, 1 January to 31 March 2026): 6 teachers' concerns in January (full assessments, age
14), 5 social workers' in February (screening only, one urgent), 7 health professionals' in March (age 16,
two urgent, all decided: early help), and 2 police officers' in March (age 9): 20 concerns. Not counted:
4 North practice runs, 2 North concerns in April (one of them submitted at 00:30 on 1 April, British Summer
Time, which is still 31 March in UTC), and 5 South concerns (counted for the coordinator's "All teams").
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.reports.builder import Period
from bot.reports.figures import Report, Table
from bot.reports.service import LeadsAndCoordinatorsOnly, ReportService
from bot.store.models import AuditEvent
from bot.store.services import Store
from tests.reports.conftest import PEOPLE
from tests.reports.seeding import PASSWORD, Clock, Concern, at, seed

QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))
DECISION_DAYS = (1, 2, 2, 3, 3, 4, 10)  # median 3, 90th percentile 10 (nearest rank)


def seed_quarter(sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]) -> None:
    north, south = people["north-practitioner"], people["south-practitioner"]
    concerns = [Concern(at(2026, 1, 5 + n), role="teacher", age=14) for n in range(6)]
    concerns += [
        Concern(
            at(2026, 2, 3 + n),
            role="social_worker",
            full=False,
            kinds=("something_said", "violence_interest"),
            urgent=n == 0,
        )
        for n in range(5)
    ]
    for n, days in enumerate(DECISION_DAYS):
        submitted = at(2026, 3, 2 + n)
        review = date(2026, 4, 10) if n < 3 else None
        feedback = "Thank you; early help is arranged." if n < 5 else ""
        decision = ("early_help", submitted + timedelta(days=days), review, feedback)
        concerns.append(
            Concern(
                submitted, role="health", age=16, kinds=("behaviour_change",), urgent=n < 2, decision=decision
            )
        )
    concerns += [
        Concern(at(2026, 3, 20 + n), role="police", age=9, kinds=("raised_by_others",)) for n in range(2)
    ]
    concerns += [Concern(at(2026, 2, 10 + n), mode="rehearsal") for n in range(4)]
    concerns += [Concern(at(2026, 3, 31, 23) + timedelta(minutes=30)), Concern(at(2026, 4, 2))]
    for concern in concerns:
        seed(sessions, bank, north, concern)
    for n in range(5):
        seed(sessions, bank, south, Concern(at(2026, 1, 10 + n), role="teacher", age=14))


SEED = seed_quarter  # what `seeded` puts in each test's store (tests/reports/conftest.py)


def figures(report: Report, table_id: str) -> dict[str, tuple[str, ...]]:
    table = report.table(table_id)
    rows = {row.label: tuple(f.text for f in row.figures) for row in table.rows}
    if table.total is not None:
        rows["Total"] = tuple(f.text for f in table.total.figures)
    return rows


def shown(table: Table) -> dict[str, str]:
    """Single-column tables: label -> text, leaving out the rows that are 0."""
    rows = [*table.rows, *([table.total] if table.total else [])]
    return {row.label: row.figures[0].text for row in rows if row.figures[0].text != "0"}


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.scalars(query))


def test_a_leads_report_counts_their_teams_live_concerns_of_the_period(
    seeded: None, reports: ReportService, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    report = reports.report(people["north-lead"].id, "127.0.0.1", QUARTER, None)
    assert report.scope == "North team" and report.threshold == 5
    assert figures(report, "concerns_by_month") == {
        "January 2026": ("0", "6", "6"),
        "February 2026": ("5", "0", "5"),
        "March 2026": ("0", "9", "9"),
        "Total": ("5", "15", "20"),
    }
    assert report.table("concerns_by_month").columns == ("Screening only", "Full assessment", "All concerns")
    # Police officers' 2 concerns are a small count; with the total shown, the next smallest (social
    # workers' 5) would give it away, so it is hidden too, and called the same (words that told a small count
    # from its partner would let the total give both away).
    assert shown(report.table("referrer_role")) == {
        "Teacher or teaching assistant": "6",
        "Social worker": "not shown",
        "Health professional, such as a school nurse, GP or health visitor": "7",
        "Police officer or police staff": "not shown",
        "Total": "20",
    }
    assert shown(report.table("age_band")) == {
        "9 or under": "not shown",
        "14 to 15": "6",
        "16 to 17": "7",
        "Not answered": "not shown",  # the screening-only concerns never reached the age question
        "Total": "20",
    }
    # A multiple choice table has no total, so only its small counts are hidden.
    kinds = report.table("concern_kinds")
    assert kinds.total is None and kinds.note is not None
    assert shown(kinds) == {
        "Something they said": "11",
        "A change in their behaviour, appearance or routine": "7",
        "An interest in violence, weapons or attacks": "5",
        "Someone else raised a worry with me": "not shown",
    }
    assert shown(report.table("urgent_flags")) == {
        "Immediate danger reported": "not shown",
        "None reported": "not shown",
        "Total": "20",
    }
    pathways = report.table("decisions_by_pathway")
    assert pathways.total is None and pathways.note is not None  # rows may add up to more than the concerns
    assert shown(pathways) == {"Early help": "7", "No decision yet": "13"}
    assert figures(report, "time_to_decision") == {"Median": ("3 days",), "90th percentile": ("10 days",)}
    assert shown(report.table("outcomes_and_reviews")) == {
        "Feedback given to the referrer": "5",
        "Review due in the next 28 days": "not shown",
    }
    [event] = audit(sessions, "report.viewed")
    assert event.actor_id == str(people["north-lead"].id)
    assert event.detail == {
        "period_from": "2026-01-01",
        "period_to": "2026-03-31",
        "team_id": reports.scope_of(people["north-lead"].id).own_team_id,
        "format": "page",
        "address": "127.0.0.1",
    }


def test_a_coordinator_sees_every_team_or_one(
    seeded: None, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    coordinator = people["coordinator"].id
    everyone = reports.report(coordinator, "127.0.0.1", QUARTER, None)
    assert everyone.scope == "All teams"
    assert figures(everyone, "concerns_by_month")["Total"] == ("5", "20", "25")
    scope = reports.scope_of(coordinator)
    assert scope.organisation and [name for _, name in scope.teams] == ["North team", "South team"]
    south_id = next(team_id for team_id, name in scope.teams if name == "South team")
    south = reports.report(coordinator, "127.0.0.1", QUARTER, south_id)
    assert south.scope == "South team"
    assert figures(south, "concerns_by_month")["Total"] == ("0", "5", "5")


def test_a_lead_cannot_see_another_teams_figures_and_the_attempt_is_audited(
    seeded: None, reports: ReportService, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    south_id = next(t for t, name in reports.scope_of(people["coordinator"].id).teams if name == "South team")
    with pytest.raises(LeadsAndCoordinatorsOnly):
        reports.report(people["north-lead"].id, "127.0.0.1", QUARTER, south_id)
    [refused] = audit(sessions, "report.refused")
    assert refused.detail["team_id"] == south_id
    assert audit(sessions, "report.viewed") == []
    assert not reports.scope_of(people["north-lead"].id).organisation


@pytest.mark.parametrize("who", ["north-practitioner", "north-trainer", "north-admin"])
def test_only_leads_and_coordinators_have_reports(
    who: str, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    with pytest.raises(LeadsAndCoordinatorsOnly):
        reports.report(people[who].id, "127.0.0.1", QUARTER, None)
    with pytest.raises(LeadsAndCoordinatorsOnly):
        reports.scope_of(people[who].id)


def test_a_period_that_ends_before_it_starts_is_refused(
    reports: ReportService, people: dict[str, UserInfo]
) -> None:
    with pytest.raises(ValidationError) as refused:
        reports.report(people["north-lead"].id, "127.0.0.1", Period(date(2026, 3, 1), date(2026, 2, 1)), None)
    assert "to" in refused.value.fields


def test_a_small_team_shows_nothing_that_identifies_anyone(
    sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo], clock: Clock
) -> None:
    """Three concerns in a quarter: every figure is hidden, zeros included (a zero beside a small count would
    say what those few concerns were not), and so are the decision times."""
    for n in range(3):
        decision = ("prevent_referral", at(2026, 2, 10 + n), None, "")
        seed(sessions, bank, people["south-practitioner"], Concern(at(2026, 2, 1 + n), decision=decision))
    report = ReportService(sessions, bank, clock=clock).report(people["south-lead"].id, "x", QUARTER, None)
    texts = {figure.text for table in report.tables for row in table.rows for figure in row.figures}
    assert texts == {"not shown", "not shown: fewer than 5 decisions"}
    roles = figures(report, "referrer_role")
    assert roles["Teacher or teaching assistant"] == ("not shown",) and roles["Total"] == ("not shown",)
    assert {texts for label, texts in roles.items() if "Teacher" not in label and label != "Total"} == {
        ("not shown",)
    }


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_counts_exactly_what_sqlite_counts(
    backend: str,
    seeded: None,
    reports: ReportService,
    people: dict[str, UserInfo],
    postgres_sessions: sessionmaker[Session],
    bank: QuestionBank,
    clock: Clock,
) -> None:
    """The counting is done by the database (GROUP BY, a window function, CASE over month boundaries), so
    the same seed must give the same figures on both."""
    store = Store(postgres_sessions)
    twins = {name: store.users.create_user(name, PASSWORD, role, team) for name, role, team in PEOPLE}
    seed_quarter(postgres_sessions, bank, twins)
    on_postgres = ReportService(postgres_sessions, bank, clock=clock)
    for who in ("north-lead", "coordinator"):
        expected = reports.report(people[who].id, "127.0.0.1", QUARTER, None)
        got = on_postgres.report(twins[who].id, "127.0.0.1", QUARTER, None)
        assert got.tables == expected.tables, who


@pytest.mark.parametrize(
    ("period", "by_month"),
    [
        # Issue #28: a period inside one calendar month built "CASE ELSE 0 END" and failed.
        (
            Period(date(2026, 3, 1), date(2026, 3, 31)),
            {"March 2026": ("0", "9", "9"), "Total": ("0", "9", "9")},
        ),
        # One concern that day: its zero "Screening only" would say it went on, so it is hidden too.
        (
            Period(date(2026, 1, 5), date(2026, 1, 5)),
            {"January 2026": ("not shown", "not shown", "not shown")},
        ),
        (
            Period(date(2026, 2, 1), date(2026, 2, 28)),
            {"February 2026": ("5", "0", "5"), "Total": ("5", "0", "5")},
        ),
        # The 00:30 BST concern on 1 April is April's, however UTC files it.
        (
            Period(date(2026, 4, 1), date(2026, 4, 30)),
            {"April 2026": ("not shown", "not shown", "not shown")},
        ),
    ],
    ids=["a calendar month", "a single day", "a short month", "a month starting at a clock change"],
)
def test_a_period_within_one_month_is_counted(
    seeded: None, reports: ReportService, people: dict[str, UserInfo], period: Period, by_month: dict
) -> None:
    report = reports.report(people["north-lead"].id, "127.0.0.1", period, None)
    counted = figures(report, "concerns_by_month")
    assert {label: counted[label] for label in by_month} == by_month


def test_a_whole_year_is_counted_month_by_month(
    seeded: None, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    report = reports.report(
        people["north-lead"].id, "127.0.0.1", Period(date(2026, 1, 1), date(2026, 12, 31)), None
    )
    counted = figures(report, "concerns_by_month")
    assert len(counted) == 13  # twelve months and the total
    assert counted["March 2026"] == ("0", "9", "9") and counted["December 2026"] == ("0", "0", "0")
    assert counted["Total"][2] == "22"


def test_a_decision_that_combines_pathways_counts_once_under_each_and_once_as_a_decided_concern(
    sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo], reports: ReportService
) -> None:
    north = people["north-practitioner"]
    for n in range(11):
        submitted = at(2026, 2, 2 + n)
        pathways = ("early_help", "s17_assessment") if n < 6 else "early_help"
        feedback = "Thank you." if n < 7 else ""
        decision = (pathways, submitted + timedelta(days=2), None, feedback)
        seed(sessions, bank, north, Concern(submitted, role="teacher", decision=decision))
    report = reports.report(people["north-lead"].id, "127.0.0.1", QUARTER, None)
    pathways = report.table("decisions_by_pathway")
    assert shown(pathways) == {
        "Early help": "11",
        "Children's social care assessment (Children Act 1989 s.17, child in need)": "6",
    }
    assert "counts once under each" in (pathways.note or "")
    # The other figures count each decided concern once, however many pathways its decision has.
    assert shown(report.table("outcomes_and_reviews"))["Feedback given to the referrer"] == "7"
    assert figures(report, "concerns_by_month")["Total"] == ("0", "11", "11")
