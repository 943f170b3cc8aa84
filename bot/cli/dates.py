"""The dates `bot report --from/--to` take: one whole day, written so that it can mean one date only."""

from __future__ import annotations

import argparse
import calendar
import re
from datetime import date

# A board pack's period is read strictly (issue #28): a whole day written so that it can mean one date only.
# Not the chat's date reader (bot.questions.read_date), which is generous on purpose ("last tuesday",
# "March 2026" as its first day, "2025" as 1 January): a report quietly made for the wrong period is worse
# than a refusal. Two-figure years and month-first orders are refused too.
_ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_UK_DAY = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})", re.ASCII)
_MONTH_NAMES = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name
}
_WORDS_DAY = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Za-z]+) (?P<year>\d{4})", re.ASCII)
DATE_FORMS = "2026-04-01, 1/4/2026, 01/04/2026 or 1 April 2026"


def board_date(text: str) -> date:
    """One day, as `--from`/`--to` take it; argparse turns the refusal into a usage error (exit 2)."""
    written = " ".join(text.split())
    match = _ISO_DAY.fullmatch(written) or _UK_DAY.fullmatch(written) or _WORDS_DAY.fullmatch(written)
    month = None
    if match:
        month = _MONTH_NAMES.get(match["month"].casefold()) if match.re is _WORDS_DAY else int(match["month"])
    if match is None or month is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole date; write it as {DATE_FORMS}")
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a real date (day, then month, then year)"
        ) from None
