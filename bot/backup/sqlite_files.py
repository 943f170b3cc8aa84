"""SQLite's half: a consistent copy of a live database, and putting a copy in place of nothing.

The copy uses SQLite's online backup API (`sqlite3.Connection.backup`) in one step: it reads one snapshot of
the database, committed transactions in the write-ahead log included, while the app goes on writing (in WAL
mode a reader never blocks the writer). Copying the file with `cp` could catch a page half-written or miss
what is still only in the `-wal` file.

The backup API writes a database file, not a stream, so `sealed_copy` lets it write a plain copy into a new
0700 folder beside the live database (the data folder, which holds that data already; never the backup
folder, whose medium may be shared or removable), seals that copy into the backup and removes it, whatever
happens. A restore writes the opened bytes straight into a file beside the target and renames it into place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.backup import sealing
from bot.backup.manifest import FILE_MODE, FOLDER_MODE, BackupError

# Writes a file's plain bytes through the callable it is given (bot.backup.operations makes them).
Emitter = Callable[[Callable[[bytes], Any]], None]

BUSY_TIMEOUT_SECONDS = 30


def sealed_copy(source: Path, destination: Path, cipher: AESGCM, name: str) -> str | None:
    """A consistent copy of `source`, sealed at `destination` (new, 0600); the schema revision it is at."""
    if not source.is_file():
        raise BackupError(f"{source} not found: nothing to back up")
    scratch = Path(tempfile.mkdtemp(prefix=".bot-backup-", dir=source.parent))  # 0700
    try:
        plain = scratch / "copy.sqlite3"
        online_copy(source, plain)
        revision = revision_in(plain)
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with open(descriptor, "wb") as out, plain.open("rb") as copy:
            sealing.seal_stream(copy, out, cipher, name)
            out.flush()
            os.fsync(out.fileno())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return revision


def online_copy(source: Path, destination: Path) -> None:
    """A self-contained copy of `source` at `destination` (new, 0600), checked by SQLite's quick_check."""
    if not source.is_file():
        raise BackupError(f"{source} not found: nothing to back up")
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(descriptor)  # created private and new; SQLite writes into it
    with (
        closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)) as live,
        closing(sqlite3.connect(destination)) as copy,
    ):
        live.backup(copy)  # pages=-1: the whole database from one read snapshot
        # The copy stands alone: no -wal file beside it for a restore to forget.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the copy of {source} failed SQLite's check: {verdict}")


def revision_in(database: Path) -> str | None:
    """The schema revision a copied store is at (alembic's table), or None for a database without one."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
    return None if row is None else str(row[0])


def refuse_unless_empty(target: Path, what: str) -> None:
    """A restore writes only where there is nothing: no file, or a file with no tables, and no journal."""
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-journal")):
        if leftover.exists() and leftover.stat().st_size:
            raise BackupError(
                f"{what} {target} is not empty ({leftover.name} holds data); restore only into an empty "
                "data folder"
            )
    if not target.exists():
        return
    if not target.is_file():
        raise BackupError(f"{what} {target} is not a file; restore only into an empty data folder")
    with closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as connection:
        tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    if tables:
        raise BackupError(
            f"{what} {target} is not empty ({tables} tables); restore only into an empty data folder, or "
            "move this database away first"
        )


def put_in_place(emit: Emitter, target: Path) -> None:
    """Write the backed-up file's bytes beside the target, then rename it into place, so the target is
    either absent or whole. The rename replaces only an empty file (checked by refuse_unless_empty just
    before)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    partial = target.with_name(f".{target.name}.restoring")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with open(descriptor, "wb") as out:
            emit(out.write)
            out.flush()
            os.fsync(out.fileno())
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}-journal")):
            leftover.unlink(missing_ok=True)  # empty, or refuse_unless_empty would have stopped us
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
