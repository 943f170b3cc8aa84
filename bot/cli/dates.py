"""The dates `bot report --from/--to` take, read by bot.reports.periods (as the reports page reads them):
one whole day written so that it can mean one date only, or `2026-04` for a whole month."""

from __future__ import annotations

import argparse
from datetime import date

from bot.reports.periods import DATE_FORMS, PeriodDateError, period_date

__all__ = ["DATE_FORMS", "board_date", "board_end_date"]


def board_date(text: str) -> date:
    """The first day of a period, as `--from` takes it (a month means its first day); argparse turns the
    refusal into a usage error (exit 2)."""
    try:
        return period_date(text)
    except PeriodDateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def board_end_date(text: str) -> date:
    """The last day of a period, as `--to` takes it (a month means its last day)."""
    try:
        return period_date(text, end=True)
    except PeriodDateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
