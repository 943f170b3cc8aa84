"""Sealed backups through `bot db backup` / `bot db restore` on SQLite (issues #35, #31): nothing readable in
the backup folder; a flipped byte, a cut file, a swapped chunk, a changed or unsigned manifest and a data key
missing from the ring are each refused with one line naming what failed, and nothing is written; an old
unsealed backup restores only with --allow-unsealed, loudly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.backup import sealing
from bot.backup.manifest import sha256_of
from bot.crypto.key_ring import parse_key_ring
from bot.questions import QuestionBank
from tests.cli.backup_helpers import bot, open_store, use_data_folder, write_cases
from tests.cli.test_backups import make_tracker
from tests.conftest import TEST_DATA_KEYS
from tests.fixtures.databases import MigratedSqlite

MARKER = (
    "Quillfeather-Zephyrine"  # a user name: plain text in the store, so only the backup's sealing hides it
)
RING = parse_key_ring(TEST_DATA_KEYS)


@pytest.fixture
def backup(
    tmp_path: Path, migrated_sqlite: MigratedSqlite, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A sealed backup of a live data folder holding one case by the practitioner MARKER."""
    live = tmp_path / "live"
    live.mkdir(mode=0o700)
    migrated_sqlite(live / "store.db")
    make_tracker(live)
    with open_store(f"sqlite:///{live / 'store.db'}") as store:
        write_cases(store, bank, 1, name=MARKER)
    use_data_folder(monkeypatch, live)
    folder = tmp_path / "backup"
    status, _out, err = bot("db", "backup", str(folder))
    assert status == 0, err
    use_data_folder(monkeypatch, tmp_path / "fresh")
    return folder


def grep(marker: str, folder: Path) -> list[str]:
    found = subprocess.run(
        ["grep", "-rlaF", marker, str(folder)], capture_output=True, text=True, check=False
    )
    return found.stdout.split()


def refused(backup: Path, *extra: str) -> str:
    """`bot db restore` into the fresh data folder: refused, one line, and nothing written there."""
    status, out, err = bot("db", "restore", *extra, str(backup))
    assert status == 1, out
    fresh = Path(backup.parent / "fresh")
    written = sorted(str(path.relative_to(fresh)) for path in fresh.rglob("*") if path.is_file())
    assert not [name for name in written if "store.db" in name or "tracker" in name], written
    return err


def resign(backup: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    """Change the manifest and sign it again with the test key: what only a holder of the key could do, so
    the layer under the signature (each file's sealing) is what must refuse."""
    data = json.loads((backup / "manifest.json").read_text())
    change(data)
    (backup / "manifest.json").write_text(json.dumps(data))
    (backup / "manifest.sig").write_text(sealing.sign(RING, data["key_id"], data))


def test_nothing_in_the_backup_folder_is_readable(backup: Path, tmp_path: Path) -> None:
    assert grep(MARKER, tmp_path / "live"), "the marker must be in the live store for this test to mean much"
    assert grep(MARKER, backup) == []
    assert grep("SQLite format 3", backup) == []
    # The plain copies SQLite's backup API made beside each live database were removed once sealed.
    assert list((tmp_path / "live").rglob(".bot-backup-*")) == []


def test_a_flipped_byte_in_a_sealed_file_is_refused(backup: Path) -> None:
    path = backup / "tracker.sqlite3.sealed"
    content = bytearray(path.read_bytes())
    content[200] ^= 0x01
    path.write_bytes(bytes(content))
    assert "tracker.sqlite3.sealed: SHA-256" in refused(backup)
    # With the manifest's digest made to match (and signed again), the sealing itself refuses it.
    resign(backup, lambda data: data["files"][1].update(sha256=sha256_of(path)))
    assert "tracker.sqlite3.sealed: chunk 0 does not open" in refused(backup)


def test_a_truncated_file_is_refused(backup: Path) -> None:
    path = backup / "store.sqlite3.sealed"
    path.write_bytes(path.read_bytes()[:-20])
    assert "was changed or cut short" in refused(backup)
    resign(backup, lambda data: data["files"][0].update(bytes=path.stat().st_size, sha256=sha256_of(path)))
    assert "store.sqlite3.sealed ends inside chunk" in refused(backup)


def test_a_swapped_chunk_is_refused(backup: Path) -> None:
    path = backup / "store.sqlite3.sealed"
    data = path.read_bytes()
    records, at = [], len(sealing.MAGIC)
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        records.append(data[at : at + 4 + length])
        at += 4 + length
    assert len(records) >= 1
    # Chunk 0 of the store swapped for chunk 0 of the tracker: right place, wrong file.
    tracker = (backup / "tracker.sqlite3.sealed").read_bytes()
    first_tracker = tracker[
        len(sealing.MAGIC) : len(sealing.MAGIC) + 4 + int.from_bytes(tracker[8:12], "big")
    ]
    path.write_bytes(sealing.MAGIC + first_tracker + b"".join(records[1:]))
    resign(
        backup,
        lambda manifest: manifest["files"][0].update(bytes=path.stat().st_size, sha256=sha256_of(path)),
    )
    assert "store.sqlite3.sealed: chunk 0 does not open" in refused(backup)


def test_a_changed_or_unsigned_manifest_is_refused(backup: Path) -> None:
    manifest = backup / "manifest.json"
    original = manifest.read_text()
    manifest.write_text(original.replace('"created": "', '"created": "1'))
    assert "its signature does not match: the manifest or manifest.sig was changed" in refused(backup)
    manifest.write_text(original)
    (backup / "manifest.sig").unlink()
    assert "is not signed (manifest.sig is missing)" in refused(backup)


def test_a_backup_whose_data_key_is_not_in_the_ring_is_refused(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_DATA_KEYS", "other2:" + "5a" * 32)
    err = refused(backup)
    assert "sealed with data key 'test1', which is not in the key ring (other2)" in err
    assert "add that key to BOT_DATA_KEYS" in err
    # A newer ring that still lists the old key opens it (rotation keeps old backups restorable).
    monkeypatch.setenv("BOT_DATA_KEYS", f"{TEST_DATA_KEYS},other2:" + "5a" * 32)
    status, _out, err = bot("db", "restore", str(backup))
    assert status == 0, err


def test_an_unsealed_backup_restores_only_when_allowed_and_says_so(backup: Path, tmp_path: Path) -> None:
    """Made as the previous version did: plain copies, format 1, no signature."""
    old = tmp_path / "old"
    old.mkdir(mode=0o700)
    manifest = json.loads((backup / "manifest.json").read_text())
    cipher = sealing.file_key(RING, "test1")
    for item in manifest["files"]:
        plain_name = item["name"].removesuffix(".sealed")
        with (old / plain_name).open("wb") as out:
            sealing.unseal_into(backup / item["name"], cipher, item["name"], out.write)
        item.update(
            name=plain_name, bytes=(old / plain_name).stat().st_size, sha256=sha256_of(old / plain_name)
        )
    for field in ("key_id", "cipher"):
        del manifest[field]
    (old / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))

    err = refused(old)
    assert "is an unsealed backup" in err and "--allow-unsealed" in err

    status, _out, err = bot("db", "restore", "--allow-unsealed", str(old))
    assert status == 0, err
    assert "WARNING" in err and "UNSEALED backup" in err
    with closing(sqlite3.connect(tmp_path / "fresh" / "store.db")) as connection:
        assert connection.execute("SELECT count(*) FROM users WHERE username = ?", (MARKER,)).fetchone() == (
            1,
        )
