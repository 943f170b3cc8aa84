"""How the review pages and the printed record write times and days: UK local time, "4 December 2026".

One place, so that a time on the screen and the same time on paper always read alike.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain.local_time import LOCAL_ZONE


def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LOCAL_ZONE)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def waited(value: timedelta | None) -> str:
    """A wait in days and hours, counting every day alike (issue #12: working-day-neutral): "2 days 3 hours",
    "5 hours", "less than an hour"."""
    if value is None:
        return ""
    hours = int(value.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours or days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    return " ".join(parts) if parts else "less than an hour"
