"""Reading "when" for a concern: an exact date, or a rough one ("March 2024", "last summer", "since Year 9").

A practitioner rarely knows the day a remark was made; forcing a day would put an invented date into the
lead's chronology. So the answer keeps the words exactly as typed beside the range of days they mean, the
earliest and the latest, and the lead sees both. A phrase we cannot turn into a range honestly ("since Year
9" when the child's age is not known, "don't know") is kept as typed with no range rather than guessed.
Anything else we cannot read gives None, and the practitioner is asked again with an example.

Seasons are the meteorological ones a UK reader expects (spring March to May, summer June to August, autumn
September to November, winter December to February, named by the year its December falls in). School years
are England's: Year N runs from 1 September to 31 August, and a child is in Year (age - 5) or (age - 4)
depending on their birthday, so a school year read from an age is the widest range both could mean.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from bot.questions.dates import MAX_DATE_TEXT, read_date_detail
from bot.questions.phrases import is_unsure, match_key

# Month the season starts in, and how many months it lasts (always three).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON = re.compile(
    r"^(?:(?P<which>last|this)\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?P<year>\d{4}))?$"
)
_SCHOOL_YEAR = re.compile(r"^(?P<since>since\s+|from\s+)?(?:in\s+)?(?:school\s+)?year\s+(?P<n>\d{1,2})$")
_SINCE = re.compile(r"^(?:since|from)\s+(?P<rest>.+)$")
_DONT_KNOW = frozenset({"don't know", "dont know", "do not know", "not known", "unknown", "no idea"})
MAX_SCHOOL_YEAR = 13


@dataclass(frozen=True)
class RoughDate:
    """When, as typed, with the first and last day it can mean (both None when no range can be given)."""

    as_typed: str
    earliest: date | None
    latest: date | None

    @property
    def has_range(self) -> bool:
        return self.earliest is not None and self.latest is not None

    def to_value(self) -> dict[str, str | None]:
        """The stored answer value: plain JSON, the words exactly as typed first."""
        return {
            "as_typed": self.as_typed,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
        }


def says_dont_know(as_typed: str) -> bool:
    """Whether a "when" answer, as typed, says the date is not known ("don't know", "not sure")."""
    key = match_key(as_typed).replace("\u2019", "'")
    return key in _DONT_KNOW or is_unsure(key)


def read_rough_date(text: str, *, today: date, age: int | None = None) -> RoughDate | None:
    """What `text` says about when something happened, up to `today`; None when it cannot be read (or lies
    wholly after today). `age` is the child's age in years today, where known, for school years."""
    if len(text) > MAX_DATE_TEXT or not text.strip():
        return None
    key = match_key(text).replace("\u2019", "'")
    if key in _DONT_KNOW or is_unsure(key):
        return RoughDate(text, None, None)
    school = _SCHOOL_YEAR.match(key)
    if school is not None:
        return _school_year(text, int(school["n"]), since=bool(school["since"]), today=today, age=age)
    # Dates are read from the words (slashes and all), not the match key, which drops punctuation.
    since = _SINCE.match(plain := " ".join(text.casefold().replace("\u2019", "'").split()))
    rest = since["rest"] if since is not None else plain
    span = _season(rest, today) or _period(rest, today)
    if span is None:
        return None
    earliest, latest = span
    if earliest > today:
        return None
    return RoughDate(text, earliest, today if since is not None else min(latest, today))


def _period(phrase: str, today: date) -> tuple[date, date] | None:
    reading = read_date_detail(phrase, today=today, prefer="past")
    if reading is None or reading.weekday_mismatch is not None:
        return None
    return reading.date, reading.end


def _season(phrase: str, today: date) -> tuple[date, date] | None:
    match = _SEASON.match(phrase)
    if match is None:
        return None
    start_month = _SEASONS[match["season"]]
    if match["year"] is not None:
        year = int(match["year"])
        if not 1900 <= year <= 2100:
            return None
    else:
        # The most recent season of that name to have started; "last" means the one before it when today
        # falls inside it ("last summer" said in July is the summer a year ago).
        year = today.year if (today.month, today.day) >= (start_month, 1) else today.year - 1
        start = date(year, start_month, 1)
        if match["which"] == "last" and today <= _season_end(start):
            year -= 1
    return date(year, start_month, 1), _season_end(date(year, start_month, 1))


def _season_end(start: date) -> date:
    end_month = (start.month + 2 - 1) % 12 + 1
    end_year = start.year + (1 if end_month < start.month else 0)
    return date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def _school_year(text: str, n: int, *, since: bool, today: date, age: int | None) -> RoughDate | None:
    if not 1 <= n <= MAX_SCHOOL_YEAR:
        return None
    if age is None:
        return RoughDate(text, None, None)  # kept as typed: which calendar years it means depends on the age
    this_start = today.year if today.month >= 9 else today.year - 1  # September the current school year began
    # Today the child is in Year (age - 5) or Year (age - 4); Year n began (current - n) Septembers ago.
    earliest_start = this_start - (age - 4 - n)
    latest_start = this_start - (age - 5 - n)
    if earliest_start > this_start:
        return None  # a school year the child has not reached
    earliest = date(earliest_start, 9, 1)
    latest = today if since else min(today, date(min(latest_start, this_start) + 1, 8, 31))
    return RoughDate(text, earliest, latest)
