"""Signed-in sessions: the encrypted cookie names a session, and this process decides whether it is alive.

A cookie alone cannot be withdrawn: a copy taken before sign-out would still decrypt. So the cookie carries a
random session id, and the registry here holds the live ones with their last activity. Signing out or staying
idle past the limit removes the id, and the same cookie is refused from then on. Restarting the app signs
everyone out, which is the safe direction to fail.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.store.records import UserInfo
from bot.web.state import STORE, TIMED_OUT

SESSION_ID = "sid"
CSRF_TOKEN = "csrf"


class SessionState(enum.Enum):
    LIVE = "live"
    IDLE = "idle"
    UNKNOWN = "unknown"


@dataclass
class _Live:
    user_id: int
    last_seen: float


class SessionRegistry:
    def __init__(self, idle_seconds: float, clock: Callable[[], float]) -> None:
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._live: dict[str, _Live] = {}

    def begin(self, user_id: int) -> str:
        self._forget_idle()
        session_id = secrets.token_urlsafe(32)
        self._live[session_id] = _Live(user_id, self._clock())
        return session_id

    def resume(self, session_id: str) -> tuple[SessionState, int | None]:
        """The session's state and user; a live session counts this as activity, an idle one ends here."""
        live = self._live.get(session_id)
        if live is None:
            return SessionState.UNKNOWN, None
        now = self._clock()
        if now - live.last_seen > self._idle_seconds:
            del self._live[session_id]
            return SessionState.IDLE, None
        live.last_seen = now
        return SessionState.LIVE, live.user_id

    def end(self, session_id: str) -> None:
        self._live.pop(session_id, None)

    def _forget_idle(self) -> None:
        now = self._clock()
        for session_id in [s for s, live in self._live.items() if now - live.last_seen > self._idle_seconds]:
            del self._live[session_id]


SESSIONS = web.AppKey("sessions", SessionRegistry)


async def signed_in_user(request: web.Request) -> UserInfo | None:
    """The user this request's session belongs to, or None; a dead session's cookie is cleared on the way."""
    session = await get_session(request)
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    state, user_id = request.app[SESSIONS].resume(session_id)
    user = None if user_id is None else await asyncio.to_thread(request.app[STORE].get_user, user_id)
    if user is None:
        request.app[SESSIONS].end(session_id)
        session.invalidate()
        request[TIMED_OUT] = state is SessionState.IDLE
    return user


async def csrf_token(request: web.Request) -> str:
    """This session's form token, made on first use (so the sign-in form has one before anyone signs in)."""
    session = await get_session(request)
    token = session.get(CSRF_TOKEN)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_TOKEN] = token
    return token


async def begin_signed_in_session(request: web.Request, user: UserInfo) -> None:
    """A brand-new session (new id, new form token) so that nothing from before sign-in carries over."""
    session = await new_session(request)
    session[SESSION_ID] = request.app[SESSIONS].begin(user.id)
    session[CSRF_TOKEN] = secrets.token_urlsafe(32)


async def end_session(request: web.Request) -> None:
    session = await get_session(request)
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        request.app[SESSIONS].end(session_id)
    session.invalidate()
