"""A Redis address and its password (issue #34, scaled mode): read the same way for the apps' shared state
(BOT_SHARED_STATE_URL, bot.shared_state) and the engines' lock store (BOT_LOCK_STORE_URL, bot.engine_stores).

The password is never part of a URL: URLs end up in logs, summaries and configuration files that are not
secret. It comes from BOT_REDIS_PASSWORD or, better, BOT_REDIS_PASSWORD_FILE (read and checked like every
other secret file by bot.production), and is kept out of every repr so that printing settings cannot leak it.
An empty password means none: the server of embedded tests, or a Redis on a private network in development.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

PASSWORD = "BOT_REDIS_PASSWORD"  # noqa: S105  # the setting's name, not a password


@dataclass(frozen=True)
class RedisAddress:
    host: str
    port: int
    db: int
    password: str = field(default="", repr=False, compare=False)

    @property
    def url(self) -> str:
        """The address without the password: safe to show."""
        return f"redis://{self.host}:{self.port}/{self.db}"


def read_redis_url(variable: str, value: str, default_db: int, password: str = "") -> RedisAddress | None:
    """None when `value` is blank; a malformed value, or one carrying a password, stops the process with one
    line naming `variable` (and never the password it may carry)."""
    value = value.strip()
    if not value:
        return None
    parts = urlsplit(value)
    try:
        port = parts.port or 6379
        db = int(parts.path.strip("/") or str(default_db))
    except ValueError:
        port = db = -1
    if parts.password or parts.username:
        raise SystemExit(
            f"{variable} must not carry a password: give it as {PASSWORD}_FILE (or {PASSWORD}) instead"
        )
    if parts.scheme != "redis" or not parts.hostname or port < 0 or db < 0 or parts.query:
        raise SystemExit(f"{variable} must look like redis://host:port/db, got {value!r}")
    return RedisAddress(parts.hostname, port, db, password.strip())
