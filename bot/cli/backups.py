"""`bot db backup DIR` and `bot db restore DIR`: the store and the engine's tracker, with a manifest.

On PostgreSQL both run as BOT_DATABASE_OWNER_URL's role when it is set (as `bot db upgrade` does), so the
dump reads every table and the restored tables belong to the owner; the application's role is then granted
what it needs again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.backup.manifest import BackupError
from bot.cli.common import EXIT_OK, CliFailure
from bot.cli.database import grant_to_app_role, owner_url
from bot.cli.version import package_version
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.backup.operations import Targets
    from bot.crypto.key_ring import KeyRing


def db_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup.operations import backup  # SQLAlchemy, loaded only by the commands that use it

    folder = Path(args.folder).absolute()
    try:
        manifest = backup(folder, _targets(settings), package_version(), _ring(settings))
    except BackupError as refusal:
        raise CliFailure(str(refusal)) from None
    for item in manifest.files:
        print(f"{item.role}: {folder / item.name} ({item.bytes} bytes, sha256 {item.sha256})")
    print(
        f"backup of revision {manifest.alembic_revision} written to {folder} (manifest.json, signed in "
        f"manifest.sig), every file sealed ({manifest.cipher}) under data key {manifest.key_id}"
    )
    print(_needs_the_keys(settings))
    return EXIT_OK


def _needs_the_keys(settings: Settings) -> str:
    """The one line that says a backup alone is not enough: the typed text in it (every sealed column,
    bot/store/sealed_columns.py) opens only with the data keys, which it deliberately does not hold. Key ids
    only (they are not secret), never a key."""
    ids = _key_ids(settings)
    return (
        f"the typed text in this backup is sealed: reading it needs the data keys "
        f"(BOT_DATA_KEYS, key ids {ids}), which it does not contain; keep them safe and never beside "
        "the backup"
    )


def db_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup.operations import restore

    folder = Path(args.folder).absolute()
    try:
        manifest = restore(folder, _targets(settings), _ring(settings), allow_unsealed=args.allow_unsealed)
    except BackupError as refusal:
        raise CliFailure(str(refusal)) from None
    if manifest.key_id is None:
        print(
            f"WARNING: {folder} was an UNSEALED backup (--allow-unsealed): its files were not encrypted and "
            "its manifest was not signed, so nothing proves it is the backup that was taken; check it "
            "before use, and destroy that unencrypted copy once a sealed backup exists",
            file=sys.stderr,
        )
    print(
        f"restored the backup of {manifest.created} (revision {manifest.alembic_revision}, "
        f"{', '.join(item.role for item in manifest.files)}) from {folder}"
    )
    ids = _key_ids(settings)
    print(
        f"its typed text opens only with the data keys that sealed it (key ids here: {ids}); "
        "export a known case to check they read back"
    )
    grant_to_app_role(settings)
    return EXIT_OK


def _targets(settings: Settings) -> Targets:
    from bot.backup.operations import Targets

    return Targets(store_url=owner_url() or settings.database_url, tracker=settings.tracker_database)


def _ring(settings: Settings) -> KeyRing:
    if settings.data_keys is None:
        raise CliFailure("backups are sealed with the data keys: set BOT_DATA_KEYS (or BOT_DATA_KEYS_FILE)")
    return settings.data_keys


def _key_ids(settings: Settings) -> str:
    return ", ".join(settings.data_keys.key_ids) if settings.data_keys else "none"
