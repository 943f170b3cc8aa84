"""BOT_SHARED_STATE_URL: where the app processes share their sessions, limits, locks and delivery guard.

The password, if the server asks for one, is BOT_REDIS_PASSWORD(_FILE), never part of the URL; rediss:// is
TLS, checked against BOT_REDIS_CA_FILE (bot.redis_url).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.redis_url import CA_FILE, PASSWORD, RedisAddress, read_redis_url

VARIABLE = "BOT_SHARED_STATE_URL"

__all__ = ["VARIABLE", "RedisAddress", "read_shared_state", "read_shared_state_url"]


def read_shared_state_url(value: str, password: str = "", ca_file: str = "") -> RedisAddress | None:
    """None when unset (embedded mode); a malformed value stops the process with one line naming it."""
    return read_redis_url(VARIABLE, value, 0, password, ca_file)


def read_shared_state(env: Mapping[str, str]) -> RedisAddress | None:
    """From the settings' environment (NAME_FILE already read into NAME by bot.production)."""
    return read_shared_state_url(env.get(VARIABLE, ""), env.get(PASSWORD, ""), env.get(CA_FILE, ""))
