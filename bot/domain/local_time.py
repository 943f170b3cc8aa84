"""The service's local time: what a UK practitioner or lead reads as "today" and "March 2026".

One zone for every page, report and export, so that a case submitted at 23:30 on 31 March British Summer
Time falls in March in the case list and in the board's figures alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/London")


def day_start(day: date) -> datetime:
    """The first instant of a local day, in UTC (what the store compares with)."""
    return datetime.combine(day, time(), tzinfo=LOCAL_ZONE).astimezone(UTC)
