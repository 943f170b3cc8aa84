"""Where the engine keeps its conversations and its per-conversation locks (issue #34, scaled mode).

Embedded mode, the default: the checkpointed tracker store on SQLite in the data folder and Rasa's in-memory
lock store, which is right for one engine and wrong for two (each would lock only its own messages).
Scaled mode is the same code with two settings:

- BOT_TRACKER_URL: an SQLAlchemy URL of the engine's own (SQLAlchemy 1.4, psycopg2) kind, e.g.
  postgresql://user:password@host:5432/tracker. The same checkpointed store class, another database.
- BOT_LOCK_STORE_URL: redis://host:port/db, Rasa's Redis lock store, so that engines sharing a tracker
  store never handle two messages of one conversation at once. Its password is BOT_REDIS_PASSWORD(_FILE),
  the same as the apps' shared state (bot.redis_url), handed to Rasa as BOT_LOCK_STORE_PASSWORD; rediss://
  (TLS, with BOT_REDIS_CA_FILE) as BOT_LOCK_STORE_SSL and BOT_LOCK_STORE_CA_CERTS (named for Rasa's
  `ssl_ca_certs`, not `_FILE`: every `*_FILE` variable names a secret the engine's entry reads and drops).

endpoints.yml reads both through Rasa's ${...} substitution (bot.runtime.process_env fills them in), so
there is one endpoints file for both modes and no file is generated per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.redis_url import CA_FILE, PASSWORD, RedisAddress, read_redis_url

# Rasa's in-memory lock store ignores host, port and db; endpoints.yml names them in both modes, and Rasa
# refuses an unset ${VAR}, so embedded mode passes Rasa's own defaults, which nothing reads.
UNUSED_REDIS = ("127.0.0.1", 6379, 1)
TRACKER_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg2")


RedisLocks = RedisAddress  # the lock store's address, password kept out of every repr


@dataclass(frozen=True)
class EngineStores:
    tracker_url: str
    locks: RedisLocks | None = None  # None: Rasa's in-memory lock store (one engine only)

    @property
    def scaled(self) -> bool:
        return self.locks is not None

    def engine_variables(self) -> dict[str, str]:
        """What endpoints.yml substitutes into the tracker_store and lock_store sections."""
        host, port, db = (self.locks.host, self.locks.port, self.locks.db) if self.locks else UNUSED_REDIS
        return {
            "BOT_TRACKER_URL": self.tracker_url,
            "BOT_LOCK_STORE": "redis" if self.locks else "in_memory",
            "BOT_LOCK_STORE_HOST": host,
            "BOT_LOCK_STORE_PORT": str(port),
            "BOT_LOCK_STORE_DB": str(db),
            # Always set (Rasa refuses an unset ${VAR}); empty is no password: Rasa hands it to redis-py,
            # which sends AUTH only for a non-empty one, and the in-memory store reads none of these.
            "BOT_LOCK_STORE_PASSWORD": self.locks.password if self.locks else "",
            # TLS (rediss://): Rasa's use_ssl takes any non-empty string as true, so "" is off.
            "BOT_LOCK_STORE_SSL": "true" if self.locks and self.locks.tls else "",
            "BOT_LOCK_STORE_CA_CERTS": self.locks.ca_file if self.locks else "",
        }


def sqlite_tracker_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'engine' / 'tracker.db'}"


def read_engine_stores(env: Mapping[str, str], data_dir: Path) -> EngineStores:
    """The engine's stores from BOT_TRACKER_URL and BOT_LOCK_STORE_URL; a bad value stops with its name."""
    tracker = env.get("BOT_TRACKER_URL", "").strip() or sqlite_tracker_url(data_dir)
    scheme = tracker.split("://", 1)[0] if "://" in tracker else ""
    if scheme not in TRACKER_SCHEMES:
        raise SystemExit(
            "BOT_TRACKER_URL must be an SQLAlchemy URL starting sqlite:/// or postgresql:// "
            f"(the engine's own driver, psycopg2), got one starting {scheme or tracker[:12]!r}"
        )
    locks = read_redis_locks(
        env.get("BOT_LOCK_STORE_URL", "").strip(), env.get(PASSWORD, ""), env.get(CA_FILE, "")
    )
    if scheme != "sqlite" and locks is None:
        # Engines that share a tracker store without a shared lock store interleave one conversation's
        # messages and lose answers; a shared tracker store is only ever wanted for several engines.
        raise SystemExit("BOT_TRACKER_URL on PostgreSQL needs BOT_LOCK_STORE_URL (redis://host:port/db) too")
    return EngineStores(tracker, locks)


def read_redis_locks(value: str, password: str = "", ca_file: str = "") -> RedisLocks | None:
    return read_redis_url("BOT_LOCK_STORE_URL", value, 1, password, ca_file)
