"""Reading the dates practitioners type: UK day-first order, month names, and "last Tuesday".

Written here rather than taken from a date library because the rules must be exactly ours and easy to read:
a library that guesses month-first for "03/04/24", or turns "in the summer holidays" into a made-up date,
would put a wrong date into a child's chronology. Anything not clearly a date gives None, and the practitioner
is asked again. A reading keeps its precision (day, month or year), so "March 2024" is recorded as March
2024, not as the 1st of March; the date it carries is the first day of the period.

Relative phrases count from `today`, which the caller passes so that readings are reproducible. "2 weeks
ago" and "last week" are read to the day (today minus 14 or 7), as the verbatim text is stored beside them.

Each date question has a direction (the bank's `date_range`, passed here as `prefer`):

- A phrase that names its direction keeps it whatever the question: "next Thursday", "tomorrow", "in 2
  weeks", "next May" are ahead; "last Thursday", "yesterday", "3 weeks ago", "last May" are behind.
- A phrase that does not (a bare weekday "Thursday", "on Thursday"; a day and month with no year "10
  December", "10/12"; a month with no year "March") is, for "past", the most recent one (a bare weekday
  before today, a day or month up to today); for "future", the coming one (a weekday after today, a day or
  month from today on); for "any", the nearest one either side of today, the coming one on a tie.
  "This Thursday" is the coming one for "future" and "any", the most recent for "past".
- A weekday written with a date ("Thursday 10 December") must be that date's weekday: when it is not, the
  reading carries `weekday_mismatch` and the caller asks again rather than guessing which was meant.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.questions.phrases import read_count

Precision = Literal["day", "month", "year"]
Prefer = Literal["past", "future", "any"]

MAX_DATE_TEXT = 100
MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTHS = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.casefold(): n for n, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.casefold(): n for n, name in enumerate(calendar.day_abbr)})
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

_TODAY_WORDS = {"today", "tonight", "this morning", "this afternoon", "this evening", "earlier today", "now"}
_YESTERDAY_WORDS = {
    "yesterday",
    "last night",
    "yesterday morning",
    "yesterday afternoon",
    "yesterday evening",
}
_FILLER = re.compile(
    r"^(?:on|in|at|about|around|approx|approximately|roughly|circa|sometime in|some time in|since|from|"
    r"during|the)\s+"
)
_LEADING_WEEKDAY = re.compile(rf"^(?P<weekday>{_WEEKDAY})\.?,?\s+(?=\S*\d)")

_NUMERIC = re.compile(r"^(?P<day>\d{1,2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})$")
_DAY_MONTH_NUMERIC = re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})$")
_MONTH_YEAR_NUMERIC = re.compile(r"^(?P<month>\d{1,2})[/.\-](?P<year>\d{4})$")
_ISO = re.compile(r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})$")
_YEAR = re.compile(r"^(?P<year>\d{4})$")
_DAY_MONTH = re.compile(rf"^(?:the\s+)?{_ORDINAL}(?:\s+of)?\s+{_MONTH}(?:\s+(?P<year>\d{{4}}|\d{{2}}))?$")
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+(?:the\s+)?{_ORDINAL}(?:\s+(?P<year>\d{{4}}))?$")
_MONTH_ONLY = re.compile(
    rf"^(?:(?P<which>last|next|this)\s+|(?:early|mid|late|the\s+)?(?:start|beginning|middle|end)\s+of\s+|"
    rf"(?:early|mid|late)[\s-]+)?{_MONTH}(?:\s+(?P<year>\d{{4}}))?$"
)
_RELATIVE_WEEKDAY = re.compile(
    rf"^(?:(?P<which>last|this past|this last|this|next|on)\s+)?(?P<weekday>{_WEEKDAY})$"
)
_AGO = re.compile(r"^(?P<count>.+?)\s+(?P<unit>day|week|fortnight|month|year)s?\s+(?:ago|back|before)$")
_AHEAD = re.compile(
    r"^(?P<count>.+?)\s+(?P<unit>day|week|fortnight|month|year)s?(?:'?s?\s+time|\s+from now)$"
)
# "in 2 weeks" is a time ahead, so it is rewritten before "in" is dropped as filler ("in March").
_IN_COUNT = re.compile(r"^in\s+(?P<rest>.+?\s+(?:day|week|fortnight|month|year)s?)$")
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([/.\-])\s*(?=\d)")
_LAST_PERIOD = re.compile(r"^(?P<which>last|this|next)\s+(?P<unit>week|month|year)$")

_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_MAX_COUNT = {"day": 3660, "week": 520, "fortnight": 260, "month": 1200, "year": 100}


@dataclass(frozen=True)
class DateReading:
    date: date
    precision: Precision
    # The weekday (0 Monday .. 6 Sunday) written before a date that falls on another day; None if it agrees.
    weekday_mismatch: int | None = None

    @property
    def end(self) -> date:
        """The last day the reading could mean, for checking that a period is not wholly in the future."""
        if self.precision == "year":
            return date(self.date.year, 12, 31)
        if self.precision == "month":
            return date(
                self.date.year, self.date.month, calendar.monthrange(self.date.year, self.date.month)[1]
            )
        return self.date

    def iso(self) -> str:
        """ISO 8601 at the reading's precision: "2024-03-05", "2024-03" or "2024"."""
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


def read_date(text: str, *, today: date, prefer: Prefer = "past") -> date | None:
    """The date `text` means (the first day, for a month or a year), or None if it is not clearly a date
    (or names a weekday the date does not fall on)."""
    reading = read_date_detail(text, today=today, prefer=prefer)
    return reading.date if reading and reading.weekday_mismatch is None else None


def read_date_detail(text: str, *, today: date, prefer: Prefer = "past") -> DateReading | None:
    if len(text) > MAX_DATE_TEXT:
        return None
    phrase, weekday = _normalise_with_weekday(text)
    try:
        reading = _read(phrase, today, prefer)
    except (ValueError, OverflowError):  # an impossible date (31/02) or arithmetic past the calendar's ends
        return None
    written = weekday is not None and reading is not None and reading.precision == "day"
    if written and reading is not None and reading.date.weekday() != weekday:
        return DateReading(reading.date, reading.precision, weekday)
    return reading


def month_first_reading(text: str) -> date | None:
    """The date a month-first writer meant by "04/13/2024", when it cannot be day-first; None otherwise."""
    match = _NUMERIC.match(_normalise(text))
    if not match or int(match["month"]) <= 12 or int(match["day"]) > 12:
        return None
    try:
        return _checked(date(_full_year(match["year"]), int(match["day"]), int(match["month"])))
    except ValueError:
        return None


def _normalise(text: str) -> str:
    return _normalise_with_weekday(text)[0]


def _normalise_with_weekday(text: str) -> tuple[str, int | None]:
    """The phrase without filler, and the weekday written before a date ("Thursday 10 December"), if any."""
    phrase = re.sub(r"\s+", " ", text.casefold().replace(",", " ")).strip().rstrip(".!?").strip()
    phrase = _IN_COUNT.sub(r"\g<rest> from now", _SPACED_SEPARATOR.sub(r"\1", phrase))
    previous, weekday = None, None
    while previous != phrase:  # "on Tuesday, the 3rd of April": drop each leading filler in turn
        previous, phrase = phrase, _FILLER.sub("", phrase)
        match = _LEADING_WEEKDAY.match(phrase)
        if match:
            weekday = _WEEKDAYS[match["weekday"]]
            phrase = phrase[match.end() :]
    return phrase, weekday


def _read(phrase: str, today: date, prefer: Prefer) -> DateReading | None:
    for reader in (_read_named_day, _read_relative, _read_numeric, _read_with_month_name):
        reading = reader(phrase, today, prefer)
        if reading is not None:
            if not MIN_YEAR <= reading.date.year <= MAX_YEAR:
                return None
            return reading
    return None


def _read_named_day(phrase: str, today: date, prefer: Prefer) -> DateReading | None:
    if phrase in _TODAY_WORDS:
        return DateReading(today, "day")
    if phrase in _YESTERDAY_WORDS:
        return DateReading(today - timedelta(days=1), "day")
    if phrase == "the day before yesterday" or phrase == "day before yesterday":
        return DateReading(today - timedelta(days=2), "day")
    if phrase == "tomorrow":
        return DateReading(today + timedelta(days=1), "day")
    match = _RELATIVE_WEEKDAY.match(phrase)
    if not match:
        return None
    weekday = _WEEKDAYS[match["weekday"]]
    back = (today.weekday() - weekday) % 7 or 7
    ahead = (weekday - today.weekday()) % 7 or 7
    which = match["which"]
    if which == "next" or (which == "this" and prefer != "past"):
        return DateReading(today + timedelta(days=ahead), "day")
    if which in (None, "on") and (prefer == "future" or (prefer == "any" and ahead <= back)):
        return DateReading(today + timedelta(days=ahead), "day")
    return DateReading(today - timedelta(days=back), "day")


def _read_relative(phrase: str, today: date, prefer: Prefer) -> DateReading | None:
    match = _LAST_PERIOD.match(phrase)
    if match:
        step = {"last": -1, "this": 0, "next": 1}[match["which"]]
        return _shift(today, match["unit"], step)
    for pattern, direction in ((_AGO, -1), (_AHEAD, 1)):
        match = pattern.match(phrase)
        if match:
            count = read_count(match["count"])
            unit = match["unit"]
            if count is None or count > _MAX_COUNT[unit]:
                return None
            return _shift(today, unit, direction * count)
    return None


def _shift(today: date, unit: str, count: int) -> DateReading:
    if unit in _UNIT_DAYS:
        return DateReading(today + timedelta(days=_UNIT_DAYS[unit] * count), "day")
    if unit == "year":
        return DateReading(date(today.year + count, 1, 1), "year")
    months = today.year * 12 + today.month - 1 + count
    return DateReading(date(months // 12, months % 12 + 1, 1), "month")


def _read_numeric(phrase: str, today: date, prefer: Prefer) -> DateReading | None:
    match = _NUMERIC.match(phrase)
    if match:
        return DateReading(date(_full_year(match["year"]), int(match["month"]), int(match["day"])), "day")
    match = _ISO.match(phrase)
    if match:
        return DateReading(date(int(match["year"]), int(match["month"]), int(match["day"])), "day")
    match = _MONTH_YEAR_NUMERIC.match(phrase)
    if match:
        return DateReading(date(int(match["year"]), int(match["month"]), 1), "month")
    match = _DAY_MONTH_NUMERIC.match(phrase)
    if match:
        return _day_without_year(int(match["day"]), int(match["month"]), today, prefer)
    match = _YEAR.match(phrase)
    if match:
        return DateReading(date(int(match["year"]), 1, 1), "year")
    return None


def _read_with_month_name(phrase: str, today: date, prefer: Prefer) -> DateReading | None:
    match = _DAY_MONTH.match(phrase) or _MONTH_DAY.match(phrase)
    if match:
        month, day = _MONTHS[match["month"]], int(match["day"])
        if match["year"]:
            return DateReading(date(_full_year(match["year"]), month, day), "day")
        return _day_without_year(day, month, today, prefer)
    match = _MONTH_ONLY.match(phrase)
    if not match:
        return None
    month = _MONTHS[match["month"]]
    if match["year"]:
        return DateReading(date(int(match["year"]), month, 1), "month")
    which = match["which"]
    if which == "this":
        return DateReading(date(today.year, month, 1), "month")
    this_year = date(today.year, month, 1)
    if which == "last":
        return DateReading(this_year if month < today.month else date(today.year - 1, month, 1), "month")
    if which == "next":
        return DateReading(this_year if month > today.month else date(today.year + 1, month, 1), "month")
    coming = this_year if month >= today.month else date(today.year + 1, month, 1)
    latest = this_year if month <= today.month else date(today.year - 1, month, 1)
    if prefer == "any":  # the nearest, counted in months; the coming one on a tie
        ahead = (coming.year - today.year) * 12 + coming.month - today.month
        behind = (today.year - latest.year) * 12 + today.month - latest.month
        return DateReading(coming if ahead <= behind else latest, "month")
    return DateReading(coming if prefer == "future" else latest, "month")


def _day_without_year(day: int, month: int, today: date, prefer: Prefer) -> DateReading | None:
    """The nearest such day on the preferred side of today ("any": on either side, the coming one on a tie);
    29 February looks back (or on) to a leap year."""
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if prefer == "any":
        sides = [_day_without_year(day, month, today, side) for side in ("future", "past")]
        found = [reading for reading in sides if reading is not None]
        return min(found, key=lambda reading: abs((reading.date - today).days), default=None)
    step = 1 if prefer == "future" else -1
    for offset in range(9):
        year = today.year + step * offset
        if day > calendar.monthrange(year, month)[1]:
            continue
        candidate = date(year, month, day)
        if (candidate >= today) if prefer == "future" else (candidate <= today):
            return DateReading(candidate, "day")
    return None


def _full_year(text: str) -> int:
    """Two-digit years as POSIX strptime reads them: 69-99 are 1969-1999, 00-68 are 2000-2068."""
    year = int(text)
    if len(text) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


def _checked(value: date) -> date | None:
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None
