"""The pages an information governance team, and anyone else, reads before and while using the service:
/privacy (the privacy notice), /terms (terms of use) and /accessibility (the accessibility statement). Open to
anyone, signed in or not, and linked from every page's footer and from the Teams manifest
(teams/manifest.template.json's privacyUrl and termsOfUseUrl).

The council's own details come from configuration (BOT_CONTROLLER_NAME and the rest, bot.setting_values), so
that the wording a council must change is in one place and production refuses to start with a placeholder.
The retention periods are read from the schedule `bot retention run` applies, so the notice cannot drift from
what is erased."""

from __future__ import annotations

from aiohttp import web

from bot.domain.retention import SCHEDULE_FILE, RecordType, load_schedule
from bot.web.pages import render_page
from bot.web.state import SETTINGS

PRIVACY_PATH = "/privacy"
TERMS_PATH = "/terms"
ACCESSIBILITY_PATH = "/accessibility"


def _years_and_days(days: int) -> str:
    """A retention period as a reader says it: "2,192 days (about 6 years)"."""
    years = round(days / 365.25)
    about = f" (about {years} year{'s' if years != 1 else ''})" if days >= 365 else ""
    return f"{days:,} days{about}"


async def privacy(request: web.Request) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    # The schedule `bot retention run` applies (BOT_RETENTION_SCHEDULE), practice period included (issue #31).
    schedule = load_schedule(settings.retention_schedule or SCHEDULE_FILE)
    retention = {record.value: _years_and_days(schedule.period(record).days) for record in RecordType}
    context = {
        "organisation": settings.organisation,
        "retention": retention,
        "held_message_hours": f"{settings.held_message_hours:g}",
        "teams_on": bool(settings.teams_app_id),
    }
    return await render_page(request, "privacy.html", context)


async def terms(request: web.Request) -> web.StreamResponse:
    return await render_page(request, "terms.html", {"organisation": request.app[SETTINGS].organisation})


async def accessibility(request: web.Request) -> web.StreamResponse:
    context = {"organisation": request.app[SETTINGS].organisation}
    return await render_page(request, "accessibility.html", context)
