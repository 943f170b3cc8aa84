"""The one strict reader of a report's dates (bot.reports.periods), which `bot report` and the reports page
share: a whole day, or `2026-04` for a whole month (its first day as a start, its last as an end)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports.periods import PeriodDateError, period_date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
        ("2100-02", date(2100, 2, 1), date(2100, 2, 28)),  # a century: not a leap year
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # unless it divides by 400
        (" 2026-04 ", date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_a_month_is_its_first_day_as_a_start_and_its_last_as_an_end(
    text: str, first: date, last: date
) -> None:
    assert period_date(text) == first
    assert period_date(text, end=True) == last


@pytest.mark.parametrize("text", ["2026-04-01", "1/4/2026", "01/04/2026", "1 April 2026", "1 Apr 2026"])
def test_a_day_is_itself_at_either_end(text: str) -> None:
    assert period_date(text) == period_date(text, end=True) == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025", "form"),
        ("March 2026", "form"),
        ("last tuesday", "form"),
        ("2026-4", "form"),
        ("202604", "form"),
        ("04-2026", "form"),
        ("4/2026", "form"),
        ("2026-04-", "form"),
        ("２０２６-０４", "form"),  # full-width digits: not ours
        ("2026-04 " + "x" * 40, "form"),
        ("", "form"),
        ("2026-13", "month"),
        ("2026-00", "month"),
        ("0000-01", "month"),
        ("31/2/2026", "day"),
        ("2026-02-29", "day"),
    ],
)
def test_anything_else_is_refused_saying_why(text: str, reason: str) -> None:
    for end in (False, True):
        with pytest.raises(PeriodDateError) as refused:
            period_date(text, end=end)
        assert refused.value.reason == reason
        assert str(refused.value).startswith(repr(text))
        assert "\n" not in str(refused.value)
