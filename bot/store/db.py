"""Engines, sessions and schema upgrades for SQLite (embedded) and PostgreSQL (production).

SQLite needs three things PostgreSQL does by itself: foreign keys switched on per connection, WAL so readers
do not block the writer, and `BEGIN IMMEDIATE` so that two writers queue on the busy timeout instead of one
failing with "database is locked" when it upgrades a read lock. Migrations run from code (no alembic.ini) so
that `bot db upgrade` and the app's start-up share one path.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bot.domain.limits import STORE_RESTART_WAIT_SECONDS
from bot.store.models import AuditEvent

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (migrations/versions), which `is_up_to_date` compares a database with: a
# command that only checks the schema (every store command of the CLI, one process each) then reads one row
# instead of importing Alembic (0.3-0.5 s of a command's start). tests/store/test_migrations.py keeps it equal
# to Alembic's head, and names the revision to write here when a new migration is added.
SCHEMA_HEAD = "0036"
# Where Alembic records a database's revision (its default table; env.py does not change it).
VERSION_TABLE = "alembic_version"
_RECORDED_REVISIONS = text("SELECT version_num FROM alembic_version")
SQLITE_BUSY_TIMEOUT_SECONDS = 30
# How long a new PostgreSQL connection waits for a server that is restarting (bot.domain.limits says why this
# is the shortest of the waits between the app, the engine, the action server and the store).
SERVER_RESTART_SECONDS = STORE_RESTART_WAIT_SECONDS
# Execution option marking a transaction that only reads: on SQLite it starts with a plain BEGIN, so readers
# never queue behind the writer (WAL gives them a consistent snapshot anyway).
READ_ONLY_OPTION = "store_read_only"

# How hard SQLite works to survive a power cut: a process-wide policy chosen once by the composition root
# (the app, the CLI, `bot run`) from `Settings.sqlite_durability`, like the password-hashing cost.
# "full" (always, but for tests): every commit is flushed to the disk before it returns (synchronous=FULL),
# so a committed answer survives a power cut. "fast-for-tests" (set only by the test configuration):
# synchronous=NORMAL, which in WAL mode survives any crash of the process itself (what the tests do) and
# never corrupts the file, but may lose the last commits to a power cut; it saves a disk flush (1-3 ms here)
# on each of the suite's tens of thousands of commits. PostgreSQL is not affected.
SqliteDurability = Literal["full", "fast-for-tests"]
SQLITE_DURABILITIES: tuple[SqliteDurability, ...] = ("full", "fast-for-tests")
_SYNCHRONOUS: dict[SqliteDurability, str] = {"full": "FULL", "fast-for-tests": "NORMAL"}
_durability: SqliteDurability = "full"


def use_sqlite_durability(profile: SqliteDurability) -> None:
    """Choose SQLite's durability for this process's new connections (see the note above)."""
    global _durability
    if profile not in _SYNCHRONOUS:
        raise ValueError(f"SQLite durability must be one of {SQLITE_DURABILITIES}, not {profile!r}")
    _durability = profile


def sqlite_durability_in_use() -> SqliteDurability:
    return _durability


def make_engine(database_url: str, *, enforce_foreign_keys: bool = True) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        event.listen(engine, "do_connect", _connect_through_restart)
        return engine
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    if url.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool  # one shared connection, or each would see its own empty database
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={_SYNCHRONOUS[_durability]}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _connect_through_restart(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open a PostgreSQL connection, waiting up to SERVER_RESTART_SECONDS while the server refuses it
    ("shutting down", "starting up", nothing listening): during an operator's restart a request then waits a
    few seconds instead of failing with a server error (issue #34). Only connecting is repeated, never a
    statement, so nothing can be written twice."""
    deadline = time.monotonic() + SERVER_RESTART_SECONDS
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            if not server_restarting(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.5)


# A server that is going down or coming up (SQLSTATE cannot_connect_now, admin_shutdown, crash_shutdown) or
# not listening yet. Anything else (a wrong password, a database that does not exist) will not mend itself
# by waiting, so the operator hears of it at once.
_RESTARTING_STATES = frozenset({"57P03", "57P01", "57P02"})
_RESTARTING_WORDS = ("connection refused", "server closed the connection unexpectedly")


def server_restarting(error: BaseException) -> bool:
    """True for a connection error a restarting server gives, worth waiting through."""
    if getattr(error, "sqlstate", None) in _RESTARTING_STATES:
        return True
    text = str(error).lower()
    return any(words in text for words in _RESTARTING_WORDS) or "the database system is" in text


class WriteOutcomeUnknown(Exception):
    """A write whose connection went mid-way (`cut_mid_way`), so that the server may have committed it, and
    which could not be checked afterwards: making it again to find out was not safe, or the database could
    not be reached again. Unlike every other unreachable-store error, this one may have left the write in
    the record, and whoever answers for it must not say that nothing was kept (bot.web.store_down)."""


def store_unreachable(error: BaseException) -> bool:
    """True for an error that says the database could not be reached or dropped the connection mid-way (a
    restart's "terminating connection due to administrator command"). The server rolled the transaction
    back, or, when the connection went just after it committed, kept it: the caller cannot tell which, so
    a request is made again only where making it twice is harmless (AssessmentService.apply_turn)."""
    if isinstance(error, WriteOutcomeUnknown):
        return True
    return isinstance(error, DBAPIError) and (
        error.connection_invalidated or isinstance(error, OperationalError)
    )


def cut_mid_way(error: BaseException) -> bool:
    """True when a connection that was open went while in use: only then may the server have committed
    what the caller never heard back about. A connection that could not be opened at all (the server still
    down after SERVER_RESTART_SECONDS) sent nothing, so nothing of the request was kept."""
    return store_unreachable(error) and bool(getattr(error, "connection_invalidated", False))


def make_session_factory(database_url: str) -> sessionmaker[Session]:
    """Sessions for the services; objects stay readable after commit because records are built from them."""
    factory = sessionmaker(make_engine(database_url), expire_on_commit=False)
    event.listen(factory, "before_flush", _refuse_audit_changes)
    return factory


def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise RuntimeError("audit events are insert-only; they are never updated or deleted")


def alembic_config(connection: Connection | None = None) -> Config:
    # Alembic (with Mako and Pygments) is loaded only to migrate: start-up cost of every command that does
    # not.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`; safe to run on every start (a no-op when already there)."""
    from alembic import command

    engine = make_engine(database_url, enforce_foreign_keys=False)  # SQLite batch mode rebuilds tables
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def current_revision(database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(database_url: str) -> bool:
    """The database is at this version's schema: the one revision Alembic recorded in it is SCHEMA_HEAD (read
    as Alembic's MigrationContext reads it, without loading Alembic); an empty database is not."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return False
            recorded = connection.execute(_RECORDED_REVISIONS).scalars().all()
    finally:
        engine.dispose()
    return recorded == [SCHEMA_HEAD]


def grant_app_role(owner_url: str, role: str) -> list[str]:
    """As the owner, give the application's PostgreSQL role its rights (bot.store.grants); the tables."""
    from bot.store.grants import grant_app_role as grant

    engine = make_engine(owner_url)
    try:
        with engine.begin() as connection:
            return grant(connection, role)
    finally:
        engine.dispose()
