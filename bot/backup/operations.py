"""Back up the store and the engine's tracker into a new private folder; restore them into empty targets.

A restore changes nothing until every check has passed: the manifest reads, every file matches its size
and SHA-256, the backup's store is of the target's kind at a schema revision this version knows, and every
target (the store, the tracker) is empty. Then the tracker goes in, then the store; if the store fails, the
tracker just written is taken away again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.backup import postgres, sqlite_files
from bot.backup.manifest import (
    FOLDER_MODE,
    BackedUpFile,
    BackupError,
    Manifest,
    describe,
    read,
    verify,
    write,
)

STORE_FILES = {"sqlite": "store.sqlite3", "postgresql": "store.pgdump"}
TRACKER_FILE = "tracker.sqlite3"


@dataclass(frozen=True)
class Targets:
    """Where the product's data is: the store's SQLAlchemy URL and the engine's SQLite tracker file."""

    store_url: str
    tracker_db: Path

    @property
    def backend(self) -> str:
        backend = make_url(self.store_url).get_backend_name()
        if backend not in STORE_FILES:
            raise BackupError(f"cannot back up a {backend} database: only SQLite and PostgreSQL")
        return backend

    @property
    def sqlite_path(self) -> Path:
        database = make_url(self.store_url).database
        if not database or database == ":memory:":
            raise BackupError("the store is an in-memory SQLite database: there is no file to back up")
        return Path(database)


def backup(folder: Path, targets: Targets, product_version: str) -> Manifest:
    """Copy the store and (when there is one) the tracker into `folder`, new or empty, private; the manifest
    is written last, so a folder without one is a backup that did not finish."""
    backend = targets.backend
    created_folder = _prepare(folder)
    made: list[Path] = []
    try:
        store_name = STORE_FILES[backend]
        made.append(folder / store_name)
        if backend == "sqlite":
            sqlite_files.online_copy(targets.sqlite_path, folder / store_name)
            revision = sqlite_files.revision_in(folder / store_name)
        else:
            from bot.store import db

            revision = db.current_revision(targets.store_url)
            postgres.dump(targets.store_url, folder / store_name)
        files = [describe(folder, store_name, "store")]
        if targets.tracker_db.is_file():
            made.append(folder / TRACKER_FILE)
            sqlite_files.online_copy(targets.tracker_db, folder / TRACKER_FILE)
            files.append(describe(folder, TRACKER_FILE, "tracker"))
        manifest = Manifest(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            product_version=product_version,
            backend=backend,
            alembic_revision=revision,
            files=tuple(files),
        )
        write(folder, manifest)
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        if created_folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return manifest


def restore(folder: Path, targets: Targets) -> Manifest:
    """Put the backup in `folder` into the (empty) store and tracker; refuse, changing nothing, otherwise."""
    manifest = read(folder)
    verify(folder, manifest)
    backend = targets.backend
    if manifest.backend != backend:
        raise BackupError(
            f"this backup holds a {manifest.backend} store and BOT_DATABASE_URL names a {backend} database; "
            "restore into the same kind of database"
        )
    _refuse_unknown_revision(manifest.alembic_revision)
    store = manifest.file_for("store")
    tracker = manifest.file_for("tracker")
    if store is None:  # read() insists on one; an explicit check, as `python -O` strips asserts
        raise AssertionError("unreachable: a manifest without the store's file")
    if backend == "sqlite":
        sqlite_files.refuse_unless_empty(targets.sqlite_path, "the store")
    else:
        postgres.refuse_unless_empty(targets.store_url)
    if tracker is not None:
        sqlite_files.refuse_unless_empty(targets.tracker_db, "the engine's tracker store")
        sqlite_files.put_in_place(folder / tracker.name, targets.tracker_db)
    try:
        _restore_store(folder, store, backend, targets)
    except BaseException:
        if tracker is not None:
            targets.tracker_db.unlink(missing_ok=True)
        raise
    return manifest


def _restore_store(folder: Path, store: BackedUpFile, backend: str, targets: Targets) -> None:
    if backend == "sqlite":
        sqlite_files.put_in_place(folder / store.name, targets.sqlite_path)
    else:
        postgres.restore(targets.store_url, folder / store.name)


def _prepare(folder: Path) -> bool:
    """Make the backup folder, or accept an empty one, private (0700); True when it was made here."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BackupError(f"{folder} is not a folder: give a new or empty folder for the backup")
    if folder.exists():
        if any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty: give a new or empty folder, so no backup is mixed up")
        folder.chmod(FOLDER_MODE)
        return False
    if not folder.parent.is_dir():
        raise BackupError(f"{folder.parent} does not exist: make it first, or give another folder")
    folder.mkdir(mode=FOLDER_MODE)
    folder.chmod(FOLDER_MODE)  # whatever the umask
    return True


def _refuse_unknown_revision(revision: str | None) -> None:
    """A backup from a newer version (a revision this code has no migration for) is refused, not guessed."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from bot.store import db

    if revision is None:
        raise BackupError("the backup's store has no schema revision: it was not made from a migrated store")
    try:
        known = ScriptDirectory.from_config(db.alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"the backup's schema revision {revision} is unknown to this version (its latest is "
            f"{db.head_revision()}): restore it with the version that made it"
        )
