"""The debrief of a submitted practice run (issue #13): a thin handler over the review service's debrief.

The trainee reaches it from their run's page once it is submitted; a trainer of their team from the same
address. Who may read which run is the review service's (bot.review.practice_debrief), never this page's.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web

from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.review.practice_feedback import FEEDBACK_LIMIT
from bot.web.client_address import client_address
from bot.web.pages import form_text, render_page
from bot.web.review import REVIEW
from bot.web.state import USER

DEBRIEF_PATH = "/practice/runs/{reference}/debrief"
FEEDBACK_PATH = "/practice/runs/{reference}/feedback"
FEEDBACK_FIELD = "feedback"


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
    written = request.query.get("done") == "feedback"
    return await _render_debrief(request, notice="Your feedback was saved." if written else None)


async def write_feedback(request: web.Request) -> web.StreamResponse:
    """A trainer's note to the trainee; back to the debrief, where it is listed first. A refused note shows
    the debrief again with the text as sent and what to change."""
    reference = request.match_info["reference"]
    text = form_text((await request.post()).get(FEEDBACK_FIELD))
    try:
        await asyncio.to_thread(
            request.app[REVIEW].write_feedback, request[USER].id, client_address(request), reference, text
        )
    except NotPermittedError as refused:
        raise web.HTTPForbidden(text=refused.message) from None
    except NotFoundError as error:
        context = {"message": error.message}
        return await render_page(request, "practice_debrief_not_found.html", context, status=404)
    except ValidationError as problem:
        return await _render_debrief(request, problem=problem.message, sent=text, status=400)
    raise web.HTTPSeeOther(debrief_address(reference) + "?done=feedback#feedback")


async def _render_debrief(
    request: web.Request,
    *,
    notice: str | None = None,
    problem: str | None = None,
    sent: str = "",
    status: int = 200,
) -> web.StreamResponse:
    reference = request.match_info["reference"]
    try:
        view = await asyncio.to_thread(
            request.app[REVIEW].open_debrief, request[USER].id, client_address(request), reference
        )
    except NotFoundError as error:
        context = {"message": error.message}
        return await render_page(request, "practice_debrief_not_found.html", context, status=404)
    context = {
        "view": view,
        "debrief": view.debrief,
        "time_taken": duration(view.debrief.time_taken),
        "feedback_address": FEEDBACK_PATH.replace("{reference}", reference),
        "feedback_limit": FEEDBACK_LIMIT,
        "notice": notice,
        "problem": problem,
        "sent": sent,
    }
    return await render_page(request, "practice_debrief.html", context, status=status)
