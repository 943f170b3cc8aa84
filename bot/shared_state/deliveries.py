"""Which Teams activities have been answered: the Bot Framework redelivers one it thinks we missed, possibly
to another app process, and an answer must not be sent twice."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from bot.shared_state.keys import PREFIX, hashed, ttl

if TYPE_CHECKING:  # embedded mode never loads redis-py (start-up cost, issue #27)
    from redis.asyncio import Redis

REMEMBERED_ACTIVITIES = 10_000  # memory: the newest so many
# Redis: a day, far past the Bot Framework's retries (seconds to minutes apart).
REMEMBERED_SECONDS = 24 * 3600


class DeliveryGuard(Protocol):
    async def first_delivery(self, conversation_id: str, activity_id: str) -> bool: ...


class MemoryDeliveryGuard:
    def __init__(self) -> None:
        self._handled: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def first_delivery(self, conversation_id: str, activity_id: str) -> bool:
        key = (conversation_id, activity_id)
        if key in self._handled:
            return False
        self._handled[key] = None
        if len(self._handled) > REMEMBERED_ACTIVITIES:
            self._handled.popitem(last=False)
        return True


class RedisDeliveryGuard:
    def __init__(self, client: Redis, secret: bytes) -> None:
        self._client = client
        self._secret = secret

    async def first_delivery(self, conversation_id: str, activity_id: str) -> bool:
        both = f"{conversation_id}\n{activity_id}"
        key = f"{PREFIX}teams:seen:{hashed(self._secret, both)}"
        # SET NX: exactly one process, the first, finds the key absent.
        return bool(await self._client.set(key, "1", nx=True, ex=ttl(REMEMBERED_SECONDS)))
