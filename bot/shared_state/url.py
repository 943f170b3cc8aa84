"""BOT_SHARED_STATE_URL: where the app processes share their sessions, limits, locks and delivery guard."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

VARIABLE = "BOT_SHARED_STATE_URL"


@dataclass(frozen=True)
class RedisAddress:
    host: str
    port: int
    db: int

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/{self.db}"


def read_shared_state_url(value: str) -> RedisAddress | None:
    """None when unset (embedded mode); a malformed value stops the process with one line naming it."""
    value = value.strip()
    if not value:
        return None
    parts = urlsplit(value)
    try:
        port = parts.port or 6379
        db = int(parts.path.strip("/") or "0")
    except ValueError:
        port = db = -1
    if parts.scheme != "redis" or not parts.hostname or port < 0 or db < 0 or parts.password or parts.query:
        raise SystemExit(f"{VARIABLE} must look like redis://host:port/db (no password yet), got {value!r}")
    return RedisAddress(parts.hostname, port, db)
