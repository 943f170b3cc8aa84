"""A Redis address and its password (issue #34, scaled mode): read the same way for the apps' shared state
(BOT_SHARED_STATE_URL, bot.shared_state) and the engines' lock store (BOT_LOCK_STORE_URL, bot.engine_stores).

The password is never part of a URL: URLs end up in logs, summaries and configuration files that are not
secret. It comes from BOT_REDIS_PASSWORD or, better, BOT_REDIS_PASSWORD_FILE (read and checked like every
other secret file by bot.production), and is kept out of every repr so that printing settings cannot leak it.
An empty password means none: the server of embedded tests, or a Redis on a private network in development.

`rediss://` is Redis over TLS, the server's certificate checked against BOT_REDIS_CA_FILE. The CA file is
required: Rasa's lock store (redis-py 4.6, given its options through endpoints.yml) loads whatever CA file
it is given, and an empty one is an error there, not "the system's", so both sides take the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PASSWORD = "BOT_REDIS_PASSWORD"  # noqa: S105  # the setting's name, not a password
CA_FILE = "BOT_REDIS_CA_FILE"
SCHEMES = {"redis": False, "rediss": True}  # scheme -> TLS


@dataclass(frozen=True)
class RedisAddress:
    host: str
    port: int
    db: int
    password: str = field(default="", repr=False, compare=False)
    tls: bool = False
    ca_file: str = ""  # the CA certificate(s) the server's certificate must chain to (TLS only)

    @property
    def url(self) -> str:
        """The address without the password: safe to show."""
        return f"{'rediss' if self.tls else 'redis'}://{self.host}:{self.port}/{self.db}"

    def client_options(self) -> dict[str, Any]:
        """redis-py's keyword arguments (its client, sync or asyncio) for this address."""
        options: dict[str, Any] = {"host": self.host, "port": self.port, "db": self.db}
        options["password"] = self.password or None
        if self.tls:
            options |= {"ssl": True, "ssl_ca_certs": self.ca_file}
        return options


def read_redis_url(
    variable: str, value: str, default_db: int, password: str = "", ca_file: str = ""
) -> RedisAddress | None:
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
    if parts.scheme not in SCHEMES or not parts.hostname or port < 0 or db < 0 or parts.query:
        raise SystemExit(
            f"{variable} must look like redis://host:port/db (or rediss:// for TLS), got {value!r}"
        )
    tls = SCHEMES[parts.scheme]
    ca_file = ca_file.strip() if tls else ""
    if tls and not ca_file:
        raise SystemExit(f"{variable} is rediss:// (TLS): set {CA_FILE}, the CA of Redis's certificate")
    if tls and not Path(ca_file).is_file():
        raise SystemExit(f"{CA_FILE} ({ca_file}) is not a file")
    return RedisAddress(parts.hostname, port, db, password.strip(), tls, ca_file)
