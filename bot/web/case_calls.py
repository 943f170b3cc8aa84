"""One call of the review service about the case in the path, and the pages a refusal sends instead.

Every case page (bot.web.review and its siblings) asks the service the same way: the signed-in user's id,
their address and the case id from the path, off the event loop (the service is synchronous SQLAlchemy).
A case outside the user's scope is "not found", the same page wherever it is met (the legal hold page too), so
that a case that does not exist and another team's case look alike.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.domain.errors import NotFoundError, StoreError
from bot.review.errors import LeadsOnlyError
from bot.review.services import ReviewService
from bot.web.client_address import client_address
from bot.web.pages import render_page
from bot.web.state import USER

REVIEW = web.AppKey("review", ReviewService)
# A call about one case: given the service, the user's id, their address and the case id.
CaseCall = Callable[[ReviewService, int, str, int], Any]


async def case_call(
    request: web.Request, call: CaseCall, *, problems: tuple[type[StoreError], ...] = ()
) -> Any:
    """What the service answered about the case in the path; a refusal as the page to send instead (404 not
    found, 403 leads only); an error of one of `problems` (a form's) returned for the caller to show."""
    case_id = int(request.match_info["case_id"])
    try:
        return await asyncio.to_thread(
            call, request.app[REVIEW], request[USER].id, client_address(request), case_id
        )
    except problems as problem:
        return problem
    except LeadsOnlyError as problem:
        return await render_page(request, "review/leads_only.html", {"message": problem.message}, status=403)
    except NotFoundError:
        return await not_found_page(request)


async def not_found_page(request: web.Request) -> web.Response:
    """The case is not one this user may open (or there is none): the service has audited the attempt."""
    return await render_page(request, "review/not_found.html", {}, status=404)
