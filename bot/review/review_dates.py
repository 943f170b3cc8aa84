"""When a case review counts as due or overdue (issue #12): one rule for the case page and the case list's
tag and filter. The reminder goes when a review falls due, that is on its date."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.vocabulary import REVIEW_DUE_SOON_DAYS


def review_state(due_on: date, held_on: date | None, today: date) -> str:
    if held_on is not None:
        return "held"
    if due_on < today:
        return "overdue"
    if due_on <= today + timedelta(days=REVIEW_DUE_SOON_DAYS):
        return "due"
    return "upcoming"


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 Aug + 6 = 28 Feb)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")
