"""The date reader: UK day-first order, month names, relative phrases, and None for anything unclear."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions.dates import DateReading, month_first_reading, read_date, read_date_detail
from tests.fixtures.hypothesis_lanes import examples

TODAY = date(2025, 3, 13)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/24", date(2024, 4, 3)),
        ("3/4/2024", date(2024, 4, 3)),
        ("03.04.2024", date(2024, 4, 3)),
        ("3-4-2024", date(2024, 4, 3)),
        ("03 / 04 / 2024", date(2024, 4, 3)),
        ("2024-04-03", date(2024, 4, 3)),
        ("3 April 2024", date(2024, 4, 3)),
        ("3rd April 2024", date(2024, 4, 3)),
        ("the 3rd of April, 2024", date(2024, 4, 3)),
        ("April 3rd, 2024", date(2024, 4, 3)),
        ("Wednesday 3 April 2024", date(2024, 4, 3)),
        ("3 Apr 24", date(2024, 4, 3)),
        ("on 3 Sept 2024", date(2024, 9, 3)),
        ("April 3rd", date(2024, 4, 3)),
        ("3 April", date(2024, 4, 3)),
        ("3/4", date(2024, 4, 3)),
        ("13 March", TODAY),
        ("12 march", date(2025, 3, 12)),
        ("today", TODAY),
        ("this morning", TODAY),
        ("Yesterday", date(2025, 3, 12)),
        ("the day before yesterday", date(2025, 3, 11)),
        ("last Tuesday", date(2025, 3, 11)),
        ("last thursday", date(2025, 3, 6)),
        ("on Friday", date(2025, 3, 7)),
        ("a fortnight ago", date(2025, 2, 27)),
        ("2 weeks ago", date(2025, 2, 27)),
        ("three days ago", date(2025, 3, 10)),
        ("a couple of weeks ago", date(2025, 2, 27)),
        ("about a week ago", date(2025, 3, 6)),
        ("last week", date(2025, 3, 6)),
    ],
)
def test_days(text: str, expected: date) -> None:
    assert read_date_detail(text, today=TODAY) == DateReading(expected, "day")
    assert read_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("March 2024", date(2024, 3, 1), "month"),
        ("mar 2024", date(2024, 3, 1), "month"),
        ("03/2024", date(2024, 3, 1), "month"),
        ("in March", date(2025, 3, 1), "month"),
        ("April", date(2024, 4, 1), "month"),
        ("early April", date(2024, 4, 1), "month"),
        ("mid-January", date(2025, 1, 1), "month"),
        ("end of February 2023", date(2023, 2, 1), "month"),
        ("last May", date(2024, 5, 1), "month"),
        ("last month", date(2025, 2, 1), "month"),
        ("this month", date(2025, 3, 1), "month"),
        ("3 months ago", date(2024, 12, 1), "month"),
        ("2023", date(2023, 1, 1), "year"),
        ("last year", date(2024, 1, 1), "year"),
        ("two years ago", date(2023, 1, 1), "year"),
    ],
)
def test_months_and_years_keep_their_precision(text: str, expected: date, precision: str) -> None:
    assert read_date_detail(text, today=TODAY) == DateReading(expected, precision)  # type: ignore[arg-type]


def test_iso_and_end_follow_precision() -> None:
    assert DateReading(date(2024, 2, 1), "month").iso() == "2024-02"
    assert DateReading(date(2024, 2, 1), "month").end == date(2024, 2, 29)
    assert DateReading(date(2024, 1, 1), "year").iso() == "2024"
    assert DateReading(date(2024, 1, 1), "year").end == date(2024, 12, 31)
    assert DateReading(date(2024, 2, 5), "day").iso() == "2024-02-05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", date(2025, 3, 14)),
        ("next Tuesday", date(2025, 3, 18)),
        ("Friday", date(2025, 3, 14)),
        ("in 2 weeks", date(2025, 3, 27)),
        ("three days from now", date(2025, 3, 16)),
        ("3 April", date(2025, 4, 3)),
        ("1 March", date(2026, 3, 1)),
    ],
)
def test_preferring_the_future(text: str, expected: date) -> None:
    assert read_date(text, today=TODAY, prefer="future") == expected


@pytest.mark.parametrize(
    "text",
    [
        "in the summer holidays",
        "summer 2023",
        "a few weeks ago",
        "ages ago",
        "31/02/2024",
        "29/02/2023",
        "13/13/2024",
        "04/13/2024",
        "00/01/2024",
        "1/1/1800",
        "3 Smarch 2024",
        "99999 days ago",
        "",
        "   ",
        "march 2024 or april",
        "the 3rd",
        "x" * 500,
    ],
)
def test_unclear_text_is_none(text: str) -> None:
    assert read_date(text, today=TODAY) is None


def test_29_february_without_a_year_looks_back_to_a_leap_year() -> None:
    assert read_date("29 Feb", today=TODAY) == date(2024, 2, 29)
    assert read_date("29 Feb", today=TODAY, prefer="future") == date(2028, 2, 29)


def test_month_first_reading_only_for_impossible_day_first_dates() -> None:
    assert month_first_reading("04/13/2024") == date(2024, 4, 13)
    assert month_first_reading("04/12/2024") is None
    assert month_first_reading("31/02/2024") is None


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


UK_FORMATS: list[Callable[[date], str]] = [
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {calendar.month_name[d.month]} {d.year}",
    lambda d: f"{_ordinal(d.day)} {calendar.month_abbr[d.month]} {d.year}",
    lambda d: f"the {_ordinal(d.day)} of {calendar.month_name[d.month]}, {d.year}",
    lambda d: f"{calendar.month_name[d.month]} {_ordinal(d.day)}, {d.year}",
    lambda d: f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}",
    lambda d: f"on {calendar.day_abbr[d.weekday()]}, {d.day} {calendar.month_name[d.month]} {d.year}.",
]
CASES: list[Callable[[str], str]] = [str, str.upper, str.lower, str.title, lambda s: f"  {s} "]
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(deadline=None, max_examples=examples(300))
@given(day=DATES, today=DATES, form=st.sampled_from(UK_FORMATS), case=st.sampled_from(CASES))
def test_any_date_in_a_uk_format_reads_back_to_itself(
    day: date, today: date, form: Callable[[date], str], case: Callable[[str], str]
) -> None:
    text = case(form(day))
    assert read_date_detail(text, today=today) == DateReading(day, "day"), text


@settings(deadline=None)
@given(day=st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31)), today=DATES)
def test_two_digit_years_read_back_in_their_window(day: date, today: date) -> None:
    assert read_date(f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}", today=today) == day


@settings(deadline=None)
@given(day=DATES, today=DATES, abbreviated=st.booleans())
def test_month_and_year_reads_as_that_month(day: date, today: date, abbreviated: bool) -> None:
    names = calendar.month_abbr if abbreviated else calendar.month_name
    reading = read_date_detail(f"{names[day.month]} {day.year}", today=today)
    assert reading == DateReading(date(day.year, day.month, 1), "month")


@settings(deadline=None)
@given(today=st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 12, 31)), back=st.integers(0, 364))
def test_a_day_without_a_year_is_the_most_recent_one(today: date, back: int) -> None:
    day = today - timedelta(days=back)
    assert read_date(f"{day.day} {calendar.month_name[day.month]}", today=today) == day
    ahead = today + timedelta(days=back)
    if ahead.year <= 2100:
        assert (
            read_date(f"{calendar.month_name[ahead.month]} {ahead.day}", today=today, prefer="future")
            == ahead
        )


@settings(deadline=None)
@given(today=st.dates(min_value=date(1911, 1, 1), max_value=date(2100, 12, 31)), count=st.integers(0, 3660))
def test_days_ago(today: date, count: int) -> None:
    assert read_date(f"{count} days ago", today=today) == today - timedelta(days=count)


DATE_WORDS = [
    "last", "next", "this", "ago", "days", "week", "weeks", "fortnight", "month", "months", "year", "in",
    "on", "the", "of", "a", "couple", "3rd", "29", "02", "2024", "24", "/", ".", "-", ",", "march", "sept",
    "feb", "tuesday", "tue", "today", "yesterday", "tomorrow", "mid", "end", "early", "from", "now", "time",
    "'s", "0", "99999999999", "١٢", "²",
]  # fmt: skip


@settings(deadline=None, max_examples=examples(500))
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.lists(st.sampled_from(DATE_WORDS), max_size=8).map(" ".join),
        st.lists(st.sampled_from(DATE_WORDS), max_size=8).map("".join),
    ),
    today=st.dates(),
    prefer=st.sampled_from(["past", "future", "any"]),
)
def test_never_raises_on_any_text(text: str, today: date, prefer: str) -> None:
    reading = read_date_detail(text, today=today, prefer=prefer)  # type: ignore[arg-type]
    assert reading is None or 1900 <= reading.date.year <= 2100
    month_first_reading(text)
