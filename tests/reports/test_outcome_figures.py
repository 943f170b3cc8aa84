"""Outcomes per pathway in the lead's and the coordinator's reports (issue #12): counts of concerns by the
outcome a lead recorded against each pathway, a corrected outcome counted as its correction, with the same
small-number suppression as every table; for a month and for a single day.

The seed (North team, March 2026): 7 concerns, each decided on two pathways (a police Prevent referral and a
children's social care assessment). Prevent: 6 not adopted, 1 adopted for Channel. Social care: 7 recorded
as child in need, one of them then corrected to no further action.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.reports.builder import Period
from bot.reports.figures import Table
from bot.reports.service import ReportService
from bot.review.next_records import OutcomeIn
from bot.review.services import ReviewService
from bot.store.review_models import Decision, DecisionPathway, Referral
from tests.fixtures.clocks import Clock
from tests.reports.seeding import Concern, at, seed

PREVENT = "Prevent referral to the police (for a child, usually also to MASH)"
SOCIAL_CARE = "Children's social care assessment (Children Act 1989 s.17, child in need)"
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def rows(table: Table) -> dict[str, str]:
    return {row.label: row.figures[0].text for row in table.rows}


def seed_outcomes(sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]) -> None:
    lead = people["north-lead"].id
    for n in range(7):
        submitted = at(2026, 3, 2 + n)
        decided = submitted + timedelta(days=1)
        concern = Concern(submitted, decision=(("prevent_referral", "s17_assessment"), decided, None, ""))
        case_id = seed(sessions, bank, people["north-practitioner"], concern)
        with sessions() as session:
            ids = {
                pathway: pathway_id
                for pathway, pathway_id in session.execute(
                    select(DecisionPathway.pathway, DecisionPathway.id)
                    .join(Decision, Decision.id == DecisionPathway.decision_id)
                    .join(Referral, Referral.id == Decision.referral_id)
                    .where(Referral.assessment_id == case_id)
                )
            }
        review = ReviewService(sessions, bank, clock=Clock(decided + timedelta(days=3)))
        on = f"{decided.day + 2}/3/2026"
        police = "police_adopted_channel" if n == 0 else "police_not_adopted"
        review.record_outcome(lead, "127.0.0.1", case_id, OutcomeIn(str(ids["prevent_referral"]), police, on))
        first = review.record_outcome(
            lead, "127.0.0.1", case_id, OutcomeIn(str(ids["s17_assessment"]), "child_in_need", on)
        )
        if n == 6:  # recorded wrongly, then corrected: counted once, as the correction
            review.record_outcome(
                lead,
                "127.0.0.1",
                case_id,
                OutcomeIn(str(ids["s17_assessment"]), "no_further_action", on, corrects=str(first)),
            )


def test_outcomes_per_pathway_for_a_month_and_a_day_for_the_lead_and_the_coordinator(
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    people: dict[str, UserInfo],
    reports: ReportService,
) -> None:
    seed_outcomes(sessions, bank, people)
    for who in ("north-lead", "coordinator"):
        report = reports.report(people[who].id, "127.0.0.1", MARCH, None)
        table = report.table("outcomes_by_pathway")
        assert table.total is None and "do not add up" in (table.note or "")
        shown = {label: text for label, text in rows(table).items() if text != "0"}
        assert shown == {
            f"{PREVENT}: Police Prevent decision: adopted for Channel": "not shown",
            f"{PREVENT}: Police Prevent decision: not adopted": "6",
            f"{SOCIAL_CARE}: Social care: no further action": "not shown",
            f"{SOCIAL_CARE}: Social care: child in need": "6",
        }, who
        # Every outcome of every pathway has its row, zero or not: the data's order, nothing left out.
        assert "Early help: Early help started" in rows(table)

    # One day: one concern, so nothing about it is shown, not even which outcome it had.
    day = reports.report(
        people["north-lead"].id, "127.0.0.1", Period(date(2026, 3, 2), date(2026, 3, 2)), None
    )
    shown = {label: text for label, text in rows(day.table("outcomes_by_pathway")).items() if text != "0"}
    assert set(shown.values()) <= {"not shown"}
    assert shown  # the day's outcomes are there, hidden, not missing
