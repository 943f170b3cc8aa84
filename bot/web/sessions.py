"""Signed-in sessions: the encrypted cookie names a session, and this process decides whether it is alive.

A cookie alone cannot be withdrawn: a copy taken before sign-out would still decrypt. So the cookie carries a
random session id, and the registry here holds the live ones with their start and last activity (in this
process's memory, or in Redis shared by every app process in scaled mode: bot.shared_state). Staying idle
past the limit, or signed in past the absolute lifetime (BOT_SESSION_MAX_HOURS), removes the id, and the same
cookie is refused from then on. Signing out (or a deactivated account) also keeps the id as ended until its
lifetime would have ended, in memory and in the store (bot.store.ended_sessions, as a hash), so that a copy
of the cookie cannot even hold a message for its owner (bot.web.held), before or after a restart.
Restarting the app signs everyone out, which is the safe direction to fail.

Every signed-in request reads the account's active flag from the store (one primary-key read), never a copy:
`bot user deactivate`, run in another process, ends the account's sessions at its very next request. The same
read gives the password's stamp (bot.store.passwords.credential_stamp), which each session keeps from its
start: after a new password (changed, or set by a reset link) every session begun under the old one ends at
its next request, except the one that changed it, which takes the new stamp.

The cookie (encrypted and authenticated with the session secret) also names the signed-in user (`uid`). A
dead session never signs anyone in by it; it only lets a message posted after the session ended be held for
the person who typed it (bot.web.held), together with the dead session's own form token.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp_session import Session, get_session, new_session

from bot.domain.records import UserInfo
from bot.shared_state.sessions import LiveSession, MemorySessionTable, SessionTable
from bot.store.ended_sessions import EndedSessionService
from bot.web.state import LIFETIME_OVER, STORE, TIMED_OUT

SESSION_ID = "sid"
USER_ID = "uid"
CSRF_TOKEN = "csrf"  # noqa: S105  # the session key's name
CSRF_FORM_FIELD = "csrf_token"  # the form field every post carries the token in (bot.web.csrf)


class SessionState(enum.Enum):
    LIVE = "live"
    IDLE = "idle"
    EXPIRED = "expired"  # past the absolute lifetime, however active
    SIGNED_OUT = "signed_out"
    UNKNOWN = "unknown"


# A session that ended by time still lets a message posted with it be held for its author.
ENDED_BY_TIME = (SessionState.IDLE, SessionState.EXPIRED)


@dataclass(frozen=True)
class EndedSession:
    """What the cookie of a session that has just ended still says: whose it was and its form token."""

    user_id: int
    csrf_token: str


ENDED_SESSION = web.RequestKey("ended_session", EndedSession)


class SessionRegistry:
    """Decides whether a session is alive, by the app's clock; the ids and times live in a SessionTable
    (bot.shared_state.sessions): this process's memory, or Redis shared by every app process (issue #34)."""

    def __init__(
        self,
        idle_seconds: float,
        clock: Callable[[], float],
        max_seconds: float,
        table: SessionTable | None = None,
    ) -> None:
        self._idle_seconds = idle_seconds
        self._max_seconds = max_seconds
        self._clock = clock
        self._table: SessionTable = table if table is not None else MemorySessionTable()

    async def begin(self, user_id: int, stamp: str) -> str:
        now = self._clock()
        await self._table.forget_ended(now, lambda live: self._ended_by_time(live, now) is not None)
        session_id = secrets.token_urlsafe(32)
        live = LiveSession(user_id, now, now, stamp)
        await self._table.add(session_id, live, self._keep(live, now))
        return session_id

    async def stamp_of(self, session_id: str) -> str | None:
        live = await self._table.get(session_id)
        return live.stamp if live is not None else None

    async def restamp(self, session_id: str, stamp: str) -> None:
        """The session that changed its own password keeps going under the new one."""
        live = await self._table.get(session_id)
        if live is not None:
            live.stamp = stamp
            await self._table.touch(session_id, live, self._keep(live, self._clock()))

    @property
    def idle_seconds(self) -> float:
        return self._idle_seconds

    @property
    def max_seconds(self) -> float:
        return self._max_seconds

    async def resume(self, session_id: str) -> tuple[SessionState, int | None]:
        """The session's state and user; a live session counts this as activity, one that has run out of
        time ends here (its user is still returned, so that a message posted with it can be held for them)."""
        live = await self._table.get(session_id)
        if live is None:
            signed_out = await self._table.signed_out(session_id)
            return (SessionState.SIGNED_OUT if signed_out else SessionState.UNKNOWN), None
        now = self._clock()
        ended = self._ended_by_time(live, now)
        if ended is not None:
            await self._table.remove(session_id)
            return ended, live.user_id
        live.last_seen = now
        await self._table.touch(session_id, live, self._keep(live, now))
        return SessionState.LIVE, live.user_id

    async def end(self, session_id: str) -> int | None:
        """A session that has ended for any reason other than time: nothing may be done with its id again.
        The user whose live session it was, or None when it was not live."""
        live = await self._table.remove(session_id)
        if live is None:
            return None
        until = live.started + self._max_seconds
        await self._table.mark_signed_out(session_id, until, until - self._clock())
        return live.user_id

    def _ended_by_time(self, live: LiveSession, now: float) -> SessionState | None:
        if now - live.started > self._max_seconds:
            return SessionState.EXPIRED
        if now - live.last_seen > self._idle_seconds:
            return SessionState.IDLE
        return None

    def _keep(self, live: LiveSession, now: float) -> float:
        """How long the table need keep a live session: until it would end by time at the latest (the
        app's clock still decides; this only bounds how long a shared table holds it)."""
        return min(live.started + self._max_seconds, live.last_seen + self._idle_seconds) - now


SESSIONS = web.AppKey("sessions", SessionRegistry)
ENDED = web.AppKey("ended_sessions", EndedSessionService)


async def signed_in_user(request: web.Request) -> UserInfo | None:
    """The user this request's session belongs to, or None; a dead session's cookie is cleared on the way."""
    session = await get_session(request)
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    state, user_id = await request.app[SESSIONS].resume(session_id)
    if state is SessionState.UNKNOWN and await asyncio.to_thread(request.app[ENDED].has_ended, session_id):
        state = SessionState.SIGNED_OUT  # signed out before a restart: the store remembers it
    live = state is SessionState.LIVE and user_id is not None
    # Read from the store every time, never cached: a deactivation or a new password, in this process or
    # another, counts at once.
    found = await asyncio.to_thread(request.app[STORE].users.session_user, user_id) if live else None
    stamp = await request.app[SESSIONS].stamp_of(session_id) or ""
    user = found[0] if found is not None and secrets.compare_digest(found[1], stamp) else None
    if user is None:
        _note_ended(request, session, state, user_id)
        ended_user = await request.app[SESSIONS].end(session_id)
        if ended_user is not None:  # live until now: its account was deactivated, or its password changed
            ended = request.app[ENDED]
            why = ended.deactivated if found is None else ended.password_changed
            await asyncio.to_thread(why, session_id, ended_user)
        session.invalidate()
        request[TIMED_OUT] = state is SessionState.IDLE
        request[LIFETIME_OVER] = state is SessionState.EXPIRED
    return user


def _note_ended(request: web.Request, session: Session, state: SessionState, user_id: int | None) -> None:
    """Keep, for this request only, whose session just ended and its form token (see bot.web.held). An idle
    session's user must match the registry's; after a restart (unknown session) the cookie is all there is,
    and it is authenticated by the session secret, and believed only within the absolute lifetime. A session
    that was signed out, or whose account was deactivated, holds nothing (and the store refuses to hold
    anything for a deactivated account in any case)."""
    cookie_user, token = session.get(USER_ID), session.get(CSRF_TOKEN)
    if not isinstance(cookie_user, int) or isinstance(cookie_user, bool) or not isinstance(token, str):
        return
    ended_by_time = state in ENDED_BY_TIME and user_id == cookie_user
    # After a restart the monotonic clock has started again, so the cookie's own creation time (wall clock,
    # set at sign-in and sealed with it) is what shows the lifetime.
    lifetime = request.app[SESSIONS].max_seconds
    restarted = state is SessionState.UNKNOWN and time.time() - session.created <= lifetime
    if ended_by_time or restarted:
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
    # The stamp is read after the password was checked (and any rehash written), so this session begins
    # under the password it was signed in with.
    found = await asyncio.to_thread(request.app[STORE].users.session_user, user.id)
    session = await new_session(request)
    session[SESSION_ID] = await request.app[SESSIONS].begin(user.id, found[1] if found is not None else "")
    session[USER_ID] = user.id
    session[CSRF_TOKEN] = secrets.token_urlsafe(32)


async def end_session(request: web.Request) -> None:
    """An explicit sign-out. The session is kept as ended across restarts and its owner's browser drafts' key
    is replaced, whether it was still live or had already ended by time (idle, the absolute lifetime, or a
    restart within it): a person who signs out at a page left open past the time-out must get the same clean
    break, and the cookie (sealed with the session secret) still says whose it was. A session already signed
    out or ended by deactivation names nobody, so nothing is done twice."""
    session = await get_session(request)
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        # Resolves the session as any request does: a live one is returned, one out of time is ended here and
        # its owner noted on the request (ENDED_SESSION), exactly as when a message posted with it is held.
        user = await signed_in_user(request)
        if user is not None:
            await request.app[SESSIONS].end(session_id)
        ended = request.get(ENDED_SESSION)
        user_id = user.id if user is not None else ended.user_id if ended is not None else None
        if user_id is not None:
            await asyncio.to_thread(request.app[ENDED].signed_out, session_id, user_id)
    session.invalidate()


async def keep_after_password_change(request: web.Request, stamp: str) -> None:
    """This request's session changed the account's password: it stays signed in under the new stamp, while
    every other session of the account ends at its next request."""
    session_id = (await get_session(request)).get(SESSION_ID)
    if isinstance(session_id, str):
        await request.app[SESSIONS].restamp(session_id, stamp)
