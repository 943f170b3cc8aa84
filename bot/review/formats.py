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


def day_range(first: date | None, last: date | None) -> str:
    """The days a rough date can mean, in GOV.UK style with no abbreviations: "1 March to 31 March 2024",
    "1 December 2023 to 29 February 2024"; one day when first and last are the same day (or last is None)."""
    if first is None:
        return ""
    if last is None or last == first:
        return day(first)
    start = f"{first.day} {first:%B}" if first.year == last.year else day(first)
    return f"{start} to {day(last)}"


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
