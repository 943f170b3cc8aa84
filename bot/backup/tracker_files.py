"""The engine's tracker in a backup: its SQLite file copied, or (scaled mode, BOT_TRACKER_URL, issue #34) its
PostgreSQL database dumped with pg_dump; sealed like the store's file either way (bot.backup.sealing).

Which kind a backup holds is read from the file's name, so a restore refuses, before it changes anything, a
PostgreSQL tracker for a SQLite target and the other way round. A tracker database that cannot be reached
stops the backup before anything is written, in one line: a backup that silently left out the conversations
would only be found out at the restore.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.backup import postgres, sqlite_files
from bot.backup.manifest import BackupError
from bot.backup.sqlite_files import Emitter
from bot.tracker.database import TrackerDatabase

SQLITE_FILE = "tracker.sqlite3.sealed"
SERVER_FILE = "tracker.pgdump.sealed"
KINDS = {SQLITE_FILE: "a SQLite file", SERVER_FILE: "a PostgreSQL database"}


def file_name(tracker: TrackerDatabase) -> str:
    return SERVER_FILE if tracker.on_server else SQLITE_FILE


def refuse_unless_reachable(tracker: TrackerDatabase) -> None:
    """A PostgreSQL tracker answers a query; one line naming it (never its password) otherwise."""
    if not tracker.on_server:
        return
    try:
        with tracker.reading() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        reason = str(error.orig or error).strip().splitlines()[0] if str(error.orig or error).strip() else ""
        raise BackupError(
            f"the engine's tracker database {tracker.shown} (BOT_TRACKER_URL) cannot be reached ({reason}); "
            "nothing was backed up"
        ) from None


def sealed_copy(tracker: TrackerDatabase, destination: Path, cipher: AESGCM) -> bool:
    """The tracker sealed into `destination`; False (nothing written) when there is no SQLite file yet."""
    name = destination.name
    if tracker.on_server:
        postgres.dump(_libpq_url(tracker), destination, cipher, name)
        return True
    if tracker.sqlite_file is None or not tracker.sqlite_file.is_file():
        return False
    sqlite_files.sealed_copy(tracker.sqlite_file, destination, cipher, name)
    return True


def refuse_unless_fits(tracker: TrackerDatabase, name: str) -> None:
    """The backup's tracker is of the target's kind, and the target is empty; nothing is changed."""
    held = SERVER_FILE if ".pgdump" in name else SQLITE_FILE  # an unsealed backup's is `tracker.sqlite3`
    if held != file_name(tracker):
        raise BackupError(
            f"this backup holds the engine's tracker as {KINDS[held]} and the tracker here is "
            f"{KINDS[file_name(tracker)]} (BOT_TRACKER_URL); restore with the same kind of tracker"
        )
    if tracker.on_server:
        refuse_unless_reachable(tracker)
        postgres.refuse_unless_empty(_libpq_url(tracker))
    elif tracker.sqlite_file is not None:
        sqlite_files.refuse_unless_empty(tracker.sqlite_file, "the engine's tracker store")


def put_in_place(tracker: TrackerDatabase, emit: Emitter) -> None:
    if tracker.on_server:
        postgres.restore(_libpq_url(tracker), emit)
    elif tracker.sqlite_file is not None:
        sqlite_files.put_in_place(emit, tracker.sqlite_file)


def take_away(tracker: TrackerDatabase) -> None:
    """Undo `put_in_place` (the store's restore failed after it): the target was empty before."""
    if tracker.on_server:
        postgres.empty_again(_libpq_url(tracker))
    elif tracker.sqlite_file is not None:
        tracker.sqlite_file.unlink(missing_ok=True)


def _libpq_url(tracker: TrackerDatabase) -> str:
    """With the password: handed to pg_dump/pg_restore through libpq's environment, never printed."""
    return tracker.server_url.render_as_string(hide_password=False)
