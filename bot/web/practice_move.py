"""Move a practice run about a real child to live (issue #13): a page that says plainly what happens, and the
move. Thin handlers over the store's PracticeMoveService, which decides who may move which run (the trainee,
their own; a trainer, their team's), keeps the reason and audits the move as one event.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.lifecycle import Mode
from bot.domain.records import Actor
from bot.store.practice_move import PracticeMoveService
from bot.web.chat import chat_address
from bot.web.pages import form_text, render_page
from bot.web.state import STORE, USER

MOVE_PATH = "/practice/runs/{reference}/move-to-live"
REASON_FIELD = "reason"
MOVED_BY_TRAINER = "/training?moved=1"


def move_address(reference: str) -> str:
    return MOVE_PATH.replace("{reference}", reference)


async def move_page(request: web.Request) -> web.StreamResponse:
    return await _render(request)


async def move_to_live(request: web.Request) -> web.StreamResponse:
    """The move itself; back to the trainee's chat (now live), or to the trainer pages for a trainer."""
    reference = request.match_info["reference"]
    reason = form_text((await request.post()).get(REASON_FIELD))
    try:
        moved = await asyncio.to_thread(_moves(request).move_to_live, request[USER].id, reference, reason)
    except NotPermittedError as refused:
        raise web.HTTPForbidden(text=refused.message) from None
    except NotFoundError as error:
        return await _not_found(request, error)
    except ValidationError as problem:
        return await _render(request, problem=problem.message, sent=reason, status=400)
    if moved.own:
        address, hash_, fragment = chat_address(moved.reference).partition("#")
        raise web.HTTPSeeOther(f"{address}?moved={Mode.LIVE}{hash_}{fragment}")
    raise web.HTTPSeeOther(MOVED_BY_TRAINER)


async def _render(
    request: web.Request, *, problem: str | None = None, sent: str = "", status: int = 200
) -> web.StreamResponse:
    reference = request.match_info["reference"]
    try:
        run = await asyncio.to_thread(_moves(request).movable_run, request[USER].id, reference)
    except NotFoundError as error:
        return await _not_found(request, error)
    context = {
        "run": run,
        "move_address": move_address(reference),
        "problem": problem,
        "sent": sent,
    }
    return await render_page(request, "practice_move.html", context, status=status)


async def _not_found(request: web.Request, error: NotFoundError) -> web.StreamResponse:
    context = {"message": error.message}
    return await render_page(request, "practice_move_not_found.html", context, status=404)


def _moves(request: web.Request) -> PracticeMoveService:
    """The store's move service, auditing as the signed-in user."""
    return request.app[STORE].practice_moves.for_actor(Actor.user(request[USER].id))
