"""The legal hold page of a case (issue #31): whether a hold is on (since when, by whom, why), and a form to
set one or to lift it, each with a reason. A case under a hold is never erased by the retention job.

Thin handlers over RetentionService, which decides who may (Action.HOLD_CASES: a lead of the case's team, or
an admin), keeps the reason verbatim and audits every change and every refusal, as `bot retention hold|lift`
does. The case page's "Legal hold" section links here. An admin sees no case content, so this page shows the
reference and the hold alone, and an admin comes back here (a lead goes back to the case) after a change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiohttp import web

from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError, ValidationError
from bot.domain.records import Actor
from bot.domain.roles import Action, permits
from bot.store.retention import MAX_REASON, RetentionService
from bot.web.case_calls import not_found_page
from bot.web.pages import form_text, render_page
from bot.web.review import CASE_PATH
from bot.web.review_messages import notice_for
from bot.web.state import STORE, USER

HOLD_PATH = CASE_PATH + "/legal-hold"
LIFT_PATH = HOLD_PATH + "/lift"
REASON_FIELD = "reason"
# A change to the hold: called with the service, the user's id, the case id and the reason typed.
Change = Callable[[RetentionService, int, int, str], object]


async def hold_page(request: web.Request) -> web.StreamResponse:
    return await _render(request, notice=_notice(request.query.get("done")))


async def set_hold(request: web.Request) -> web.StreamResponse:
    return await _change(request, RetentionService.set_hold, "hold-set")


async def lift_hold(request: web.Request) -> web.StreamResponse:
    return await _change(
        request, lambda s, user, case, reason: s.lift_hold(user, case, reason), "hold-lifted"
    )


async def _change(request: web.Request, change: Change, done: str) -> web.StreamResponse:
    """Make the change and go back with a confirmation; bad input shows the page again, nothing changed."""
    case_id = int(request.match_info["case_id"])
    reason = form_text((await request.post()).get(REASON_FIELD))
    try:
        await asyncio.to_thread(change, _holds(request), request[USER].id, case_id, reason)
    except (NotFoundError, NotPermittedError):
        # Another team's case is "not found", as on every case page; the service audited the refusal.
        return await not_found_page(request)
    except ValidationError as problem:
        return await _render(request, reason_error=problem.message, sent=reason, status=400)
    except (
        ConflictError
    ) as problem:  # someone else set or lifted it meanwhile: the page shows it as it is now
        return await _render(request, problem=problem.message, status=409)
    # A lead reads the case page, where the hold is shown; an admin reads no case, so comes back here.
    if permits(request[USER].role, Action.READ_CASES):
        raise web.HTTPSeeOther(f"/cases/{case_id}?done={done}#legal-hold")
    raise web.HTTPSeeOther(f"/cases/{case_id}/legal-hold?done={done}")


async def _render(
    request: web.Request,
    *,
    problem: str | None = None,
    reason_error: str | None = None,
    sent: str = "",
    notice: str | None = None,
    status: int = 200,
) -> web.StreamResponse:
    case_id = int(request.match_info["case_id"])
    try:
        state = await asyncio.to_thread(_holds(request).hold_state, request[USER].id, case_id)
    except (NotFoundError, NotPermittedError):
        return await not_found_page(request)
    context = {
        "state": state,
        "problem": problem,  # about the hold as a whole: it changed meanwhile
        "reason_error": reason_error,  # about the reason typed
        "sent": sent,
        "notice": notice,
        "reason_limit": MAX_REASON,
        "reads_case": permits(request[USER].role, Action.READ_CASES),
    }
    return await render_page(request, "review/legal_hold.html", context, status=status)


def _notice(done: str | None) -> str | None:
    """The confirmation of a hold change only (the case page's other keys mean nothing here)."""
    return notice_for(done) if done in ("hold-set", "hold-lifted") else None


def _holds(request: web.Request) -> RetentionService:
    """The store's retention service, auditing as the signed-in user (as the CLI audits as its --user)."""
    return request.app[STORE].retention.for_actor(Actor.user(request[USER].id))
