"""Between a right password and a second factor (issue #32): the cookie session that only says who is waiting.

`after_password` decides whether a right password signs someone in or leaves them waiting for a code (or for
set-up, bot.web.second_factor). A waiting session is a fresh cookie session naming the account, when the wait
began (the app's clock) and where to go afterwards; it has no live session id, so every route but the code and
set-up pages treats it as signed out. It lasts `PENDING_SECONDS`.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable

from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.domain import second_factor as rules
from bot.domain.records import UserInfo
from bot.domain.second_factor import FactorState
from bot.web.held import after_sign_in
from bot.web.landing import safe_return_path
from bot.web.sessions import CSRF_TOKEN, begin_signed_in_session
from bot.web.state import SETTINGS, STORE

CODE_PATH = "/sign-in/code"
SET_UP_PATH = "/sign-in/set-up"
OWN_SET_UP_PATH = "/account/second-factor"  # practitioners and trainers opting in, once signed in
PENDING_USER = "pending_uid"
PENDING_SINCE = "pending_since"
PENDING_NEXT = "pending_next"
PENDING_SECONDS = 10 * 60

CLOCK = web.AppKey("second_factor_clock", Callable[[], float])


def setup(app: web.Application, clock: Callable[[], float]) -> None:
    app[CLOCK] = clock


async def after_password(request: web.Request, user: UserInfo, return_path: str | None) -> str:
    """Where a right password leads: signed in, or waiting for a second factor (its set-up if none)."""
    state = await asyncio.to_thread(request.app[STORE].second_factor.state, user.id)
    must = request.app[SETTINGS].totp_required and rules.required_for(user.role)
    if state is not FactorState.ENROLLED and not must:
        await begin_signed_in_session(request, user)
        return await after_sign_in(request, user, return_path)
    session = await new_session(request)  # nothing from before the password carries over
    session[PENDING_USER] = user.id
    session[PENDING_SINCE] = request.app[CLOCK]()
    session[PENDING_NEXT] = return_path or ""
    session[CSRF_TOKEN] = secrets.token_urlsafe(32)
    return CODE_PATH if state is FactorState.ENROLLED else SET_UP_PATH


async def finish(request: web.Request, user: UserInfo) -> str:
    """Signed in at last: a brand-new live session, and where to go."""
    session = await get_session(request)
    return_path = safe_return_path(session.get(PENDING_NEXT))
    await begin_signed_in_session(request, user)
    return await after_sign_in(request, user, return_path)


async def pending_user(request: web.Request) -> UserInfo | None:
    session = await get_session(request)
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(since, int | float):
        return None
    waited = request.app[CLOCK]() - since
    if not 0 <= waited <= PENDING_SECONDS:  # negative after a restart of the monotonic clock
        return None
    return await asyncio.to_thread(request.app[STORE].users.active_user, user_id)
