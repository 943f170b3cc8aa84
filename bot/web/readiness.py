"""`/healthz` (liveness) and `/readyz` (readiness) for the platform's probes (issue #35).

Liveness says only that this process answers, so a probe never restarts the app because the engine is down.
Readiness asks each part a message needs, all at once and each within READY_TIMEOUT_SECONDS, and answers 503
naming the parts that did not answer, so a load balancer stops sending people to a chat that cannot reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
from sqlalchemy import text

from bot.chat.gateway import EngineGateway
from bot.web.state import STORE

READY_TIMEOUT_SECONDS = 2.0


class Readiness:
    """The checks, with one HTTP client for the action server's health address (closed with the app)."""

    def __init__(self, gateway: EngineGateway, actions_health_url: str) -> None:
        self._gateway = gateway
        self._actions_url = actions_health_url
        self._session: aiohttp.ClientSession | None = None

    async def engine(self) -> bool:
        return await self._gateway.answers(READY_TIMEOUT_SECONDS)

    async def action_server(self) -> bool:
        if self._session is None:  # made inside the running loop
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=READY_TIMEOUT_SECONDS))
        try:
            async with self._session.get(self._actions_url) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


READINESS = web.AppKey("readiness", Readiness)


async def healthz(_request: web.Request) -> web.StreamResponse:
    return web.Response(text="ok")


async def readyz(request: web.Request) -> web.StreamResponse:
    readiness = request.app[READINESS]
    store = request.app[STORE]

    def select_one() -> None:
        with store.session_factory() as session:
            session.execute(text("SELECT 1"))

    checks: dict[str, Callable[[], Awaitable[object]]] = {
        "database": lambda: asyncio.to_thread(select_one),
        "engine": readiness.engine,
        "action_server": readiness.action_server,
    }
    results = await asyncio.gather(*(_answers(check) for check in checks.values()))
    status = {name: "ok" if ok else "down" for name, ok in zip(checks, results, strict=True)}
    down = [name for name, state in status.items() if state == "down"]
    if down:
        return web.json_response({"status": "not ready", "down": down, "checks": status}, status=503)
    return web.json_response({"status": "ready", "checks": status})


async def _answers(check: Callable[[], Awaitable[object]]) -> bool:
    """True when `check` finishes in time without an exception and does not say False."""
    try:
        result = await asyncio.wait_for(check(), READY_TIMEOUT_SECONDS)
    except Exception:  # any failure of a part is "down"; which one is named, not why (no secrets in probes)
        return False
    return result is not False
