"""The dates a report's period is given in, read strictly, for `bot report --from/--to` and the reports page.

A board pack's period is read strictly (issue #28): a whole day written so that it can mean one date only,
or an ISO year-month (`2026-04`) for a whole month, its first day as a start and its last as an end. Not the
chat's date reader (bot.questions.read_date), which is generous on purpose ("last tuesday", "March 2026" as
its first day, "2025" as 1 January): a report quietly made for the wrong period is worse than a refusal.
Two-figure years and month-first orders are refused too. The CLI and the web both read their dates here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_ISO_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})", re.ASCII)
_UK_DAY = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})", re.ASCII)
_WORDS_DAY = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Za-z]+) (?P<year>\d{4})", re.ASCII)
_MONTH_NAMES = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name
}
_LONGEST = 40  # longer than any date written as above; what is longer is refused before it is read
DATE_FORMS = "2026-04-01, 1/4/2026, 01/04/2026 or 1 April 2026 (or 2026-04 for a whole month)"


_SAYS = {
    "form": "is not a whole date; write it as " + DATE_FORMS,
    "day": "is not a real date (day, then month, then year)",
    "month": "is not a real month (year, then month: 2026-04)",
}


class PeriodDateError(ValueError):
    """A date not written in one of DATE_FORMS (`reason` "form"), or written so but naming no real day
    ("day") or month ("month"). Its message is one line, for the CLI; the web says it in its own words."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r} {_SAYS[reason]}")


def period_date(text: str, *, end: bool = False) -> date:
    """One day of a period: the day written, or for a month (`2026-04`) its first day, or its last if `end`.

    Raises PeriodDateError for anything else.
    """
    written = " ".join(text.split()) if len(text) <= _LONGEST else ""
    if month_match := _ISO_MONTH.fullmatch(written):
        year, month = int(month_match["year"]), int(month_match["month"])
        if not 1 <= month <= 12 or year < 1:
            raise PeriodDateError(text, "month")
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    match = _ISO_DAY.fullmatch(written) or _UK_DAY.fullmatch(written) or _WORDS_DAY.fullmatch(written)
    month = None
    if match:
        month = _MONTH_NAMES.get(match["month"].casefold()) if match.re is _WORDS_DAY else int(match["month"])
    if match is None or month is None:
        raise PeriodDateError(text, "form")
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise PeriodDateError(text, "day") from None
