"""How the review pages and the printed record write times and days: UK local time, "4 December 2026".

One place, so that a time on the screen and the same time on paper always read alike.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.local_time import LOCAL_ZONE


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LOCAL_ZONE)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"
