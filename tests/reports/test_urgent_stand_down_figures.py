"""A flag a lead stood down (issue #26, item 5) is not counted in the reports' urgent figures; a new danger
report after it is. Concerns are seeded through the store's own service, the stand-down through the review
service, and the figures read through the report service, as the page reads them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.reports.builder import Period
from bot.reports.service import ReportService
from bot.review.services import ReviewService
from bot.store.models import Assessment
from bot.store.services import Store
from tests.builders import report_danger
from tests.reports.seeding import Concern, at, seed

QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))


def urgent_count(reports: ReportService, lead: UserInfo) -> str:
    table = reports.report(lead.id, "127.0.0.1", QUARTER, None).table("urgent_flags")
    [row] = [row for row in table.rows if row.label == "Immediate danger reported"]
    return row.figures[0].text


def test_a_stood_down_flag_leaves_the_urgent_count_and_a_new_report_brings_it_back(
    sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    practitioner, lead = people["north-practitioner"], people["north-lead"]
    ids = [seed(sessions, bank, practitioner, Concern(at(2026, 2, 2 + n), urgent=n < 3)) for n in range(8)]
    reports = ReportService(sessions, bank, threshold=1, clock=lambda: at(2026, 3, 31, 18))
    assert urgent_count(reports, lead) == "3"

    ReviewService(sessions, bank).stand_down_urgent_flag(lead.id, "127.0.0.1", ids[0], "Not an emergency.")
    assert urgent_count(reports, lead) == "2"

    with sessions() as session:
        conversation = session.get_one(Assessment, ids[0]).conversation.sender_id
    report_danger(Store(sessions), conversation, "Now he has said it again, with a date.")
    assert urgent_count(reports, lead) == "3"
