"""Back up the store and the engine's tracker, sealed, into a new private folder; restore them into empty
targets.

A restore changes nothing until every check has passed: the manifest is signed and its signature matches
under a key of the ring, it reads, every file matches its size and SHA-256 and every chunk of it opens
(bot.backup.sealing), the backup's store and tracker are of the targets' kinds, the store at a schema revision
this version knows, and every target (the store, the tracker) is empty. Then the tracker goes in, then the
store; if the store fails, the tracker just written is taken away again. The tracker is the engine's SQLite
file, or its PostgreSQL database in scaled mode (bot.backup.tracker_files).

An unsealed backup (manifest format 1, made before backups were sealed) is refused unless the operator says
`--allow-unsealed`: accepting it silently would also accept a folder whose manifest someone rewrote as
format 1 to escape the signature check, so it takes a deliberate, loud choice (the CLI warns on stderr).
Its files are still checked against the manifest's SHA-256.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from bot.backup import postgres, sealing, sqlite_files, tracker_files
from bot.backup.manifest import (
    FOLDER_MODE,
    MANIFEST,
    SIGNATURE,
    BackedUpFile,
    BackupError,
    Manifest,
    as_data,
    describe,
    parse,
    read_data,
    read_signature,
    verify,
    write,
)
from bot.backup.sqlite_files import Emitter
from bot.crypto.key_ring import KeyRing
from bot.tracker.database import TrackerDatabase

STORE_FILES = {"sqlite": "store.sqlite3.sealed", "postgresql": "store.pgdump.sealed"}
TRACKER_FILE = tracker_files.SQLITE_FILE


@dataclass(frozen=True)
class Targets:
    """Where the product's data is: the store's SQLAlchemy URL and the engine's tracker (file or database)."""

    store_url: str
    tracker: TrackerDatabase

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


def backup(folder: Path, targets: Targets, product_version: str, ring: KeyRing) -> Manifest:
    """Seal the store and (when there is one) the tracker into `folder`, new or empty, private, under a key
    derived from the ring's newest data key; the signed manifest is written last, so a folder without one
    is a backup that did not finish."""
    backend = targets.backend
    key_id = ring.newest_id
    cipher = sealing.file_key(ring, key_id)
    tracker_files.refuse_unless_reachable(targets.tracker)  # before anything is written
    created_folder = _prepare(folder)
    made: list[Path] = []
    try:
        store_name = STORE_FILES[backend]
        made.append(folder / store_name)
        if backend == "sqlite":
            revision = sqlite_files.sealed_copy(targets.sqlite_path, folder / store_name, cipher, store_name)
        else:
            from bot.store import db

            revision = db.current_revision(targets.store_url)
            postgres.dump(targets.store_url, folder / store_name, cipher, store_name)
        files = [describe(folder, store_name, "store")]
        tracker_name = tracker_files.file_name(targets.tracker)
        made.append(folder / tracker_name)
        if tracker_files.sealed_copy(targets.tracker, folder / tracker_name, cipher):
            files.append(describe(folder, tracker_name, "tracker"))
        manifest = Manifest(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            product_version=product_version,
            backend=backend,
            alembic_revision=revision,
            files=tuple(files),
            key_id=key_id,
            cipher=sealing.CIPHER,
        )
        data = as_data(manifest)
        made.append(folder / SIGNATURE)
        write(folder, data, sealing.sign(ring, key_id, data))
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        if created_folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return manifest


def restore(folder: Path, targets: Targets, ring: KeyRing, allow_unsealed: bool = False) -> Manifest:
    """Put the backup in `folder` into the (empty) store and tracker; refuse, changing nothing, otherwise."""
    manifest, cipher = _trusted_manifest(folder, ring, allow_unsealed)
    verify(folder, manifest)
    if cipher is not None:
        for item in manifest.files:
            sealing.check(folder / item.name, cipher, item.name)
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
        tracker_files.refuse_unless_fits(targets.tracker, tracker.name)
        tracker_files.put_in_place(targets.tracker, _emitter(folder, tracker, cipher))
    try:
        _restore_store(_emitter(folder, store, cipher), backend, targets)
    except BaseException:
        if tracker is not None:
            tracker_files.take_away(targets.tracker)
        raise
    return manifest


def _trusted_manifest(folder: Path, ring: KeyRing, allow_unsealed: bool) -> tuple[Manifest, AESGCM | None]:
    """The manifest once its signature is checked, and the cipher its files open with (None: unsealed)."""
    data = read_data(folder)
    if data["format"] == 1:
        if not allow_unsealed:
            raise BackupError(
                f"{folder} is an unsealed backup (made before backups were encrypted; its {MANIFEST} is not "
                "signed): nothing was restored. If you trust where it has been kept, restore it with "
                "`bot db restore --allow-unsealed DIR`"
            )
        return parse(folder, data), None
    signature = read_signature(folder)
    key_id = data.get("key_id")
    if not isinstance(key_id, str):
        raise BackupError(
            f"{folder / MANIFEST}: key_id is missing: it cannot be trusted; nothing was restored"
        )
    if not sealing.signature_matches(ring, key_id, data, signature):
        raise BackupError(
            f"{folder / MANIFEST}: its signature does not match: the manifest or manifest.sig was changed "
            "since the backup; nothing was restored"
        )
    return parse(folder, data), sealing.file_key(ring, key_id)


def _emitter(folder: Path, item: BackedUpFile, cipher: AESGCM | None) -> Emitter:
    """What writes the file's plain bytes: opened chunk by chunk, or (an unsealed backup) copied."""
    path = folder / item.name

    def emit(write: Any) -> None:
        if cipher is not None:
            sealing.unseal_into(path, cipher, item.name, write)
            return
        with path.open("rb") as source:
            for block in iter(lambda: source.read(sealing.CHUNK_BYTES), b""):
                write(block)

    return emit


def _restore_store(emit: Emitter, backend: str, targets: Targets) -> None:
    if backend == "sqlite":
        sqlite_files.put_in_place(emit, targets.sqlite_path)
    else:
        postgres.restore(targets.store_url, emit)


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
