"""Live and signed-out session ids (bot.web.sessions decides what they mean; this only keeps them).

The registry hands in times read with the app's clock and decides idle and lifetime itself; the table keeps
the values. `touch` writes only over a session still there, so a request on one process cannot bring back a
session that another process has just ended.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol

from bot.shared_state.keys import PREFIX, hashed, ttl

if TYPE_CHECKING:  # embedded mode never loads redis-py (start-up cost, issue #27)
    from redis.asyncio import Redis


@dataclass
class LiveSession:
    user_id: int
    started: float
    last_seen: float
    stamp: str  # the password's stamp when the session began (or changed the password itself)


class SessionTable(Protocol):
    async def add(self, session_id: str, live: LiveSession, keep_seconds: float) -> None: ...

    async def get(self, session_id: str) -> LiveSession | None: ...

    async def touch(self, session_id: str, live: LiveSession, keep_seconds: float) -> None: ...

    async def remove(self, session_id: str) -> LiveSession | None: ...

    async def mark_signed_out(self, session_id: str, until: float, keep_seconds: float) -> None: ...

    async def signed_out(self, session_id: str) -> bool: ...

    async def forget_ended(self, now: float, over: Callable[[LiveSession], bool]) -> None: ...


class MemorySessionTable:
    """This process's own, as before scaled mode: restarting the app signs everyone out."""

    def __init__(self) -> None:
        self._live: dict[str, LiveSession] = {}
        self._signed_out: dict[str, float] = {}  # session id -> when it would have expired anyway

    async def add(self, session_id: str, live: LiveSession, keep_seconds: float) -> None:
        self._live[session_id] = live

    async def get(self, session_id: str) -> LiveSession | None:
        live = self._live.get(session_id)
        return None if live is None else LiveSession(**asdict(live))

    async def touch(self, session_id: str, live: LiveSession, keep_seconds: float) -> None:
        if session_id in self._live:
            self._live[session_id] = live

    async def remove(self, session_id: str) -> LiveSession | None:
        return self._live.pop(session_id, None)

    async def mark_signed_out(self, session_id: str, until: float, keep_seconds: float) -> None:
        self._signed_out[session_id] = until

    async def signed_out(self, session_id: str) -> bool:
        return session_id in self._signed_out

    async def forget_ended(self, now: float, over: Callable[[LiveSession], bool]) -> None:
        for session_id in [s for s, live in self._live.items() if over(live)]:
            del self._live[session_id]
        # Past its lifetime a signed-out id would be refused as expired anyway; forget it.
        for session_id in [s for s, until in self._signed_out.items() if now > until]:
            del self._signed_out[session_id]


class RedisSessionTable:
    """Shared by every app process. Keys are keyed hashes of the session id; values hold the user's id and
    the times, never a name. Each key expires when its session would have ended by time at the latest."""

    def __init__(self, client: Redis, secret: bytes) -> None:
        self._client = client
        self._secret = secret

    def _live_key(self, session_id: str) -> str:
        return f"{PREFIX}session:live:{hashed(self._secret, session_id)}"

    def _out_key(self, session_id: str) -> str:
        return f"{PREFIX}session:out:{hashed(self._secret, session_id)}"

    async def add(self, session_id: str, live: LiveSession, keep_seconds: float) -> None:
        await self._client.set(self._live_key(session_id), json.dumps(asdict(live)), ex=ttl(keep_seconds))

    async def get(self, session_id: str) -> LiveSession | None:
        return _decoded(await self._client.get(self._live_key(session_id)))

    async def touch(self, session_id: str, live: LiveSession, keep_seconds: float) -> None:
        # XX: only over a session still there (another process may have ended it since it was read).
        await self._client.set(
            self._live_key(session_id), json.dumps(asdict(live)), ex=ttl(keep_seconds), xx=True
        )

    async def remove(self, session_id: str) -> LiveSession | None:
        return _decoded(await self._client.getdel(self._live_key(session_id)))

    async def mark_signed_out(self, session_id: str, until: float, keep_seconds: float) -> None:
        await self._client.set(self._out_key(session_id), repr(until), ex=ttl(keep_seconds))

    async def signed_out(self, session_id: str) -> bool:
        return bool(await self._client.exists(self._out_key(session_id)))

    async def forget_ended(self, now: float, over: Callable[[LiveSession], bool]) -> None:
        """Nothing to sweep: each key's TTL removes it once its session could no longer be live."""


def _decoded(raw: bytes | str | None) -> LiveSession | None:
    if raw is None:
        return None
    values = json.loads(raw)
    return LiveSession(int(values["user_id"]), float(values["started"]), float(values["last_seen"]),
                       str(values["stamp"]))  # fmt: skip
