"""Telling people when their session will end, and letting them keep it (issue 17).

Every signed-in page says, in words, after how long without activity the session ends and at what time that
will be if nothing happens (so it works without JavaScript). It also carries the idle limit and the warning
lead time as data attributes, for timeout.js: two minutes before the end (BOT_SESSION_WARNING_SECONDS) it
opens a dialog whose "Stay signed in" posts to /session/keep-alive. That route is an ordinary signed-in route:
reaching it is activity (the access middleware's resume), so all it has to do is answer 204; a session that
has already ended gets the usual redirect to the sign-in page, which the script reads as "ended".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp_jinja2
from aiohttp import web

from bot.domain.local_time import LOCAL_ZONE
from bot.settings import Settings

KEEP_ALIVE_PATH = "/session/keep-alive"


def describe_duration(seconds: float) -> str:
    """'30 minutes', '1 minute', '90 seconds': whole minutes when it is a whole number of them."""
    whole = round(seconds)
    if whole >= 60 and whole % 60 == 0:
        minutes = whole // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{whole} second{'s' if whole != 1 else ''}"


def ends_at(idle_seconds: float, now: datetime | None = None) -> str:
    """The local clock time the session ends at if nothing happens from now: '14:35'."""
    moment = (now or datetime.now(UTC)) + timedelta(seconds=idle_seconds)
    return f"{moment.astimezone(LOCAL_ZONE):%H:%M}"


def setup(app: web.Application, settings: Settings) -> None:
    idle_seconds = settings.session_idle_minutes * 60
    # A warning as long as the session itself would open as soon as a page loads; keep it inside the session.
    warning_seconds = min(settings.session_warning_seconds, idle_seconds * 0.9)
    env = aiohttp_jinja2.get_env(app)
    env.globals["session_timing"] = {
        "idle_seconds": round(idle_seconds, 3),
        "warning_seconds": round(warning_seconds, 3),
        "idle_words": describe_duration(idle_seconds),
        "keep_alive_path": KEEP_ALIVE_PATH,
    }
    env.globals["session_ends_at"] = lambda: ends_at(idle_seconds)


async def keep_alive(_request: web.Request) -> web.StreamResponse:
    """Reaching this signed-in route has already counted as activity; nothing else to do."""
    return web.Response(status=204)
