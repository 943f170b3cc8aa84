"""Signed-in sessions: the encrypted cookie names a session, and this process decides whether it is alive.

A cookie alone cannot be withdrawn: a copy taken before sign-out would still decrypt. So the cookie carries a
random session id, and the registry here holds the live ones with their last activity. Signing out or staying
idle past the limit removes the id, and the same cookie is refused from then on. Restarting the app signs
everyone out, which is the safe direction to fail.

The cookie (encrypted and authenticated with the session secret) also names the signed-in user (`uid`). A
dead session never signs anyone in by it; it only lets a message posted after the session ended be held for
the person who typed it (bot.web.held), together with the dead session's own form token.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp_session import Session, get_session, new_session

from bot.domain.records import UserInfo
from bot.web.state import STORE, TIMED_OUT

SESSION_ID = "sid"
USER_ID = "uid"
CSRF_TOKEN = "csrf"
CSRF_FORM_FIELD = "csrf_token"  # the form field every post carries the token in (bot.web.csrf)


class SessionState(enum.Enum):
    LIVE = "live"
    IDLE = "idle"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class EndedSession:
    """What the cookie of a session that has just ended still says: whose it was and its form token."""

    user_id: int
    csrf_token: str


ENDED_SESSION = web.RequestKey("ended_session", EndedSession)


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

    @property
    def idle_seconds(self) -> float:
        return self._idle_seconds

    def resume(self, session_id: str) -> tuple[SessionState, int | None]:
        """The session's state and user; a live session counts this as activity, an idle one ends here
        (its user is still returned, so that a message posted with it can be held for them)."""
        live = self._live.get(session_id)
        if live is None:
            return SessionState.UNKNOWN, None
        now = self._clock()
        if now - live.last_seen > self._idle_seconds:
            del self._live[session_id]
            return SessionState.IDLE, live.user_id
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
    live = state is SessionState.LIVE and user_id is not None
    user = await asyncio.to_thread(request.app[STORE].users.get_user, user_id) if live else None
    if user is None:
        _note_ended(request, session, state, user_id)
        request.app[SESSIONS].end(session_id)
        session.invalidate()
        request[TIMED_OUT] = state is SessionState.IDLE
    return user


def _note_ended(request: web.Request, session: Session, state: SessionState, user_id: int | None) -> None:
    """Keep, for this request only, whose session just ended and its form token (see bot.web.held). An idle
    session's user must match the registry's; after a restart (unknown session) the cookie is all there is,
    and it is authenticated by the session secret."""
    cookie_user, token = session.get(USER_ID), session.get(CSRF_TOKEN)
    if not isinstance(cookie_user, int) or isinstance(cookie_user, bool) or not isinstance(token, str):
        return
    if state is SessionState.LIVE or (state is SessionState.IDLE and user_id != cookie_user):
        return  # a live session whose account is gone, or a cookie that disagrees with the registry
    request[ENDED_SESSION] = EndedSession(cookie_user, token)


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
    session[USER_ID] = user.id
    session[CSRF_TOKEN] = secrets.token_urlsafe(32)


async def end_session(request: web.Request) -> None:
    session = await get_session(request)
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        request.app[SESSIONS].end(session_id)
    session.invalidate()
