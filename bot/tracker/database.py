"""One way into the engine's tracker database, on SQLite or on PostgreSQL (BOT_TRACKER_URL, issue #34).

The transcript, the retention job, `bot keys rotate` and `bot db backup` used to open the SQLite file under
the data folder with the standard library, so on PostgreSQL the transcript was empty, expired conversations
were never erased, rotation skipped the tracker and a backup missed it. They now take a `TrackerDatabase`
and open it here: read-only for the transcript (SQLite `mode=ro`, a PostgreSQL READ ONLY transaction), or
for writing. The engine names its driver (psycopg2, in its own environment); ours is psycopg 3, so the URL's
driver is swapped, nothing else.

Each use makes its own engine without a pool and disposes of it: the tracker is opened a few times per
page or per job, never per row, and no connection is left open between uses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import NullPool

from bot.crypto.tracker_keys import CHECKPOINT_TABLE, EVENTS_TABLE

TABLES = (EVENTS_TABLE, CHECKPOINT_TABLE)  # what engine/extensions/checkpoint_store.py writes
OUR_DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class TrackerDatabase:
    """The tracker's SQLite file, or (`url` set) its PostgreSQL database as the engine's URL names it."""

    sqlite_file: Path | None = None
    url: str | None = None

    @classmethod
    def of(cls, place: TrackerDatabase | Path | str | None) -> TrackerDatabase | None:
        """A tracker from what callers hold: a SQLite file's path, an engine URL, or one already made."""
        if place is None or isinstance(place, TrackerDatabase):
            return place
        if isinstance(place, Path):
            return cls(sqlite_file=place)
        if place.startswith("sqlite:///"):
            return cls(sqlite_file=Path(place.removeprefix("sqlite:///")))
        return cls(url=place)

    @property
    def on_server(self) -> bool:
        return self.url is not None

    @property
    def server_url(self) -> URL:
        """The PostgreSQL URL with our driver (the password included: never print it; see `shown`)."""
        if self.url is None:
            raise ValueError("the tracker is a SQLite file, not a server database")
        return make_url(self.url).set(drivername=OUR_DRIVER)

    @property
    def shown(self) -> str:
        """Where it is, for a message: the file, or the URL without its password."""
        if self.url is None:
            return str(self.sqlite_file)
        return make_url(self.url).render_as_string(hide_password=True)

    def present(self) -> bool:
        """False only for a SQLite file that does not exist (nothing was ever written); a server database is
        assumed there, and opening it says otherwise."""
        return self.on_server or (self.sqlite_file is not None and self.sqlite_file.is_file())

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read-only connection in one transaction: a reader can never alter the engine's record."""
        engine = self._engine(read_only=True)
        try:
            with engine.connect() as connection:
                if self.on_server:
                    connection.execute(sa.text("SET TRANSACTION READ ONLY"))
                yield connection
                connection.rollback()
        finally:
            engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection whose transactions the caller begins and commits (`begin_exclusive`)."""
        engine = self._engine(read_only=False)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def tables(self, connection: Connection) -> set[str]:
        """Which of the engine's tables exist (none until the engine has started once)."""
        return set(TABLES) & set(sa.inspect(connection).get_table_names())

    def _engine(self, *, read_only: bool) -> sa.Engine:
        if self.url is not None:
            # Writers autocommit at the driver too, and `begin_exclusive` issues BEGIN itself, as on SQLite.
            options = {} if read_only else {"isolation_level": "AUTOCOMMIT"}
            return sa.create_engine(self.server_url, poolclass=NullPool, **options)
        if self.sqlite_file is None:
            raise ValueError("a tracker needs a SQLite file or a URL")
        path = self.sqlite_file.resolve()
        if read_only:
            uri = f"{path.as_uri()}?mode=ro"
            return sa.create_engine(
                "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=30), poolclass=NullPool
            )
        # The engine writes this file while we do: wait for its lock rather than fail at once. Autocommit at
        # the driver, so `begin_exclusive` issues SQLite's own BEGIN IMMEDIATE.
        return sa.create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": 30},
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
        )


# What the readers take: a TrackerDatabase, or (tests, older callers) the SQLite file's path.
TrackerPlace: TypeAlias = TrackerDatabase | Path


@contextmanager
def begin_exclusive(tracker: TrackerDatabase, connection: Connection) -> Iterator[str]:
    """One write transaction that the engine's own writes wait for, on a `writing()` connection; yields the
    lock clause for its SELECTs.

    SQLite: BEGIN IMMEDIATE takes the file's write lock first. PostgreSQL: the rows read are locked with
    FOR UPDATE, so a checkpoint the engine rewrites meanwhile is never overwritten with its older value."""
    connection.exec_driver_sql("BEGIN" if tracker.on_server else "BEGIN IMMEDIATE")
    try:
        yield " FOR UPDATE" if tracker.on_server else ""
    except BaseException:
        connection.exec_driver_sql("ROLLBACK")
        raise
    connection.exec_driver_sql("COMMIT")
