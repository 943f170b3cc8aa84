"""Periods at the calendar's edges, read as a lead writes them (bot.reports.periods) and counted by the
report service over a real store: months that cross a clock change (Europe/London: the last Sunday of
March and of October), the leap day of 2028, and a whole year.

The reports count in local time (bot.domain.local_time): a concern belongs to the month and day it was
submitted in, in the UK, whatever UTC says. Counts from 1 to 4 are "not shown", so each month that a test
reads has at least five concerns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.reports.builder import Period
from bot.reports.periods import PeriodDateError, period_date
from bot.reports.service import ReportService
from bot.store.services import Store
from tests.reports.conftest import PEOPLE
from tests.reports.seeding import PASSWORD, Clock, Concern, seed
from tests.reports.test_report_figures import figures


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# 2026: British Summer Time starts at 01:00 UTC on 29 March and ends at 01:00 UTC on 25 October.
MARCH_2026 = (
    utc(2026, 3, 1, 0, 30),  # 00:30 GMT on 1 March
    utc(2026, 3, 10, 12),
    utc(2026, 3, 29, 0, 30),  # 00:30 GMT, half an hour before the clocks go forward
    utc(2026, 3, 29, 1, 30),  # 02:30 BST, just after
    utc(2026, 3, 31, 22, 30),  # 23:30 BST on 31 March
)
NOT_MARCH_2026 = (
    utc(2026, 2, 28, 23, 30),  # 23:30 GMT on 28 February
    utc(2026, 3, 31, 23, 30),  # 00:30 BST on 1 April, though UTC still says 31 March
)
OCTOBER_2026 = (
    utc(2026, 9, 30, 23, 30),  # 00:30 BST on 1 October, though UTC still says 30 September
    utc(2026, 10, 12, 12),
    utc(2026, 10, 25, 0, 30),  # 01:30 BST, the first time 01:30 comes round that night
    utc(2026, 10, 25, 1, 30),  # 01:30 GMT, the second time
    utc(2026, 10, 31, 23, 30),  # 23:30 GMT on 31 October
)
NOT_OCTOBER_2026 = (
    utc(2026, 9, 30, 22, 30),  # 23:30 BST on 30 September
    utc(2026, 11, 1, 0, 30),  # 00:30 GMT on 1 November
)
# 29 February 2028: the first instant of the day and its last minute (GMT), and some between.
LEAP_DAY_2028 = tuple(
    utc(2028, 2, 29, hour, minute) for hour, minute in ((0, 0), (6, 0), (12, 0), (18, 0), (23, 59))
)
AROUND_LEAP_DAY = (utc(2028, 2, 28, 23, 59), utc(2028, 3, 1, 0, 0))


def seed_edges(sessions: sessionmaker[Session], bank: QuestionBank, north: UserInfo) -> None:
    moments = MARCH_2026 + NOT_MARCH_2026 + OCTOBER_2026 + NOT_OCTOBER_2026 + LEAP_DAY_2028 + AROUND_LEAP_DAY
    for moment in moments:
        seed(sessions, bank, north, Concern(moment))


def seed_north_edges(
    sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    seed_edges(sessions, bank, people["north-practitioner"])


SEED = seed_north_edges  # what `seeded` puts in each test's store (tests/reports/conftest.py)


def by_month(reports: ReportService, lead: UserInfo, first: str, last: str) -> dict[str, tuple[str, ...]]:
    """The concerns-by-month table (screening only, went on, all) for a period written as a lead writes it."""
    period = Period(period_date(first), period_date(last, end=True))
    return figures(reports.report(lead.id, "127.0.0.1", period, None), "concerns_by_month")


@pytest.mark.parametrize(
    ("month", "label"),
    [("2026-03", "March 2026"), ("2026-10", "October 2026")],
    ids=["clocks go forward", "clocks go back"],
)
def test_a_month_that_crosses_a_clock_change_counts_its_local_days(
    seeded: None, reports: ReportService, people: dict[str, UserInfo], month: str, label: str
) -> None:
    assert by_month(reports, people["north-lead"], month, month) == {
        label: ("0", "5", "5"),
        "Total": ("0", "5", "5"),
    }


def test_the_months_either_side_of_a_clock_change_keep_their_own_concerns(
    seeded: None, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    """September to November: October's five, and the one at each edge in the month next door (too few to
    show, so "not shown", where a wrong boundary would have made October six or seven)."""
    counted = by_month(reports, people["north-lead"], "2026-09", "2026-11")
    assert counted["October 2026"] == ("0", "5", "5")
    assert counted["September 2026"] == counted["November 2026"] == ("not shown",) * 3


def test_the_leap_day_is_a_day_and_its_month_has_twenty_nine_days(
    seeded: None, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    lead = people["north-lead"]
    for written in ("29/2/2028", "2028-02-29", "29 February 2028", "29 Feb 2028"):
        assert by_month(reports, lead, written, written) == {
            "February 2028": ("0", "5", "5"),
            "Total": ("0", "5", "5"),
        }
    # The whole month: the leap day's five and 28 February's last minute.
    assert period_date("2028-02", end=True) == date(2028, 2, 29)
    assert by_month(reports, lead, "2028-02", "2028-02")["February 2028"] == ("0", "6", "6")


@pytest.mark.parametrize("written", ["29/2/2027", "2027-02-29", "29 February 2027", "29 Feb 2027"])
def test_the_twenty_ninth_of_february_in_a_common_year_is_refused(written: str) -> None:
    for end in (False, True):
        with pytest.raises(PeriodDateError) as refused:
            period_date(written, end=end)
        assert refused.value.reason == "day"
    assert period_date("2027-02", end=True) == date(2027, 2, 28)


def test_a_whole_year_has_twelve_months_and_counts_each_concern_once(
    seeded: None, reports: ReportService, people: dict[str, UserInfo]
) -> None:
    counted = by_month(reports, people["north-lead"], "2026-01", "2026-12")
    assert list(counted) == [f"{date(2026, n, 1):%B} 2026" for n in range(1, 13)] + ["Total"]
    assert counted["March 2026"] == counted["October 2026"] == ("0", "5", "5")
    # Every 2026 concern of the seed: March's and October's five, and the four at their edges.
    assert counted["Total"] == ("0", "14", "14")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_draws_the_same_local_boundaries(
    backend: str,
    seeded: None,
    reports: ReportService,
    people: dict[str, UserInfo],
    postgres_sessions: sessionmaker[Session],
    bank: QuestionBank,
    clock: Clock,
) -> None:
    """The month of each concern is decided by the database (a CASE over the months' first instants in
    UTC), so both backends must put the clock-change edges in the same months."""
    store = Store(postgres_sessions)
    twins = {name: store.users.create_user(name, PASSWORD, role, team) for name, role, team in PEOPLE}
    seed_edges(postgres_sessions, bank, twins["north-practitioner"])
    on_postgres = ReportService(postgres_sessions, bank, clock=clock)
    for first, last in (
        ("2026-02", "2026-04"),
        ("2026-09", "2026-11"),
        ("2028-02", "2028-02"),
        ("2026-01", "2026-12"),
    ):
        expected = by_month(reports, people["north-lead"], first, last)
        assert by_month(on_postgres, twins["north-lead"], first, last) == expected, (first, last)
