"""The debrief of a submitted practice run (issue #13): a thin handler over the review service's debrief.

The trainee reaches it from their run's page once it is submitted; a trainer of their team from the same
address. Who may read which run is the review service's (bot.review.practice_debrief), never this page's.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web

from bot.domain.errors import NotFoundError
from bot.web.client_address import client_address
from bot.web.pages import render_page
from bot.web.review import REVIEW
from bot.web.state import USER

DEBRIEF_PATH = "/practice/runs/{reference}/debrief"


def debrief_address(reference: str) -> str:
    return DEBRIEF_PATH.replace("{reference}", reference)


def duration(taken: timedelta | None) -> str:
    """'23 minutes 5 seconds'; 'Not submitted' without an end."""
    if taken is None:
        return "Not submitted"
    minutes, seconds = divmod(int(taken.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(hours, "hour"), (minutes, "minute"), (seconds, "second")]
    said = [f"{count} {unit}{'' if count == 1 else 's'}" for count, unit in parts if count]
    return " ".join(said) or "under a second"


async def debrief_page(request: web.Request) -> web.StreamResponse:
    reference = request.match_info["reference"]
    try:
        view = await asyncio.to_thread(
            request.app[REVIEW].open_debrief, request[USER].id, client_address(request), reference
        )
    except NotFoundError as error:
        context = {"message": error.message}
        return await render_page(request, "practice_debrief_not_found.html", context, status=404)
    context = {"view": view, "debrief": view.debrief, "time_taken": duration(view.debrief.time_taken)}
    return await render_page(request, "practice_debrief.html", context)
