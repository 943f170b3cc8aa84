"""`bot db backup` and `bot db restore` on SQLite (issue #35): a backup taken while the store is being
written restores into a fresh data folder whole and consistent; a changed file, a non-empty target and a
non-empty backup folder are refused, changing nothing."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from bot.questions import QuestionBank
from bot.store.db import head_revision
from tests.cli.backup_helpers import bot, export, open_store, private_modes, use_data_folder, write_cases
from tests.conftest import TEST_DATA_KEYS
from tests.fixtures.databases import MigratedSqlite

TRACKER_ROWS = 40


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute(sql).fetchall()


def make_tracker(data_dir: Path) -> Path:
    """A stand-in for the engine's tracker store: Rasa's `events` table in WAL mode (what the backup copies
    is any SQLite file; the engine itself is not needed to show that)."""
    tracker = data_dir / "engine" / "tracker.db"
    tracker.parent.mkdir(mode=0o700, parents=True)
    with closing(sqlite3.connect(tracker)) as connection, connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        connection.executemany(
            "INSERT INTO events (sender_id, data) VALUES (?, ?)",
            [(f"s{n}", '{"event": "user"}') for n in range(TRACKER_ROWS)],
        )
    return tracker


@pytest.fixture
def live(tmp_path: Path, migrated_sqlite: MigratedSqlite, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with a migrated store and a tracker, used as BOT_DATA_DIR."""
    data_dir = tmp_path / "live"
    data_dir.mkdir(mode=0o700)
    migrated_sqlite(data_dir / "store.db")
    make_tracker(data_dir)
    use_data_folder(monkeypatch, data_dir)
    return data_dir


def test_a_backup_taken_while_a_writer_commits_restores_whole_into_a_fresh_data_folder(
    live: Path, tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{live / 'store.db'}"
    stop, written, failures = threading.Event(), [], []

    def writer() -> None:
        try:
            with open_store(url) as store:
                while not stop.is_set():
                    written.extend(write_cases(store, bank, 1))
        except Exception as error:  # reported below: a failed writer must fail the test
            failures.append(error)

    with open_store(url) as store:
        before = write_cases(store, bank, 2)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 3 and thread.is_alive():
            stop.wait(0.05)
        status, out, err = bot("db", "backup", str(tmp_path / "backup"))
        during = len(written)
        while len(written) < during + 3 and thread.is_alive():
            stop.wait(0.05)  # the writer goes on after the backup too
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    assert status == 0, err
    assert f"backup of revision {head_revision()}" in out
    # The operator is told the backup is unreadable without the data keys, by id; no key is in the backup.
    assert "reading it needs the data keys (BOT_DATA_KEYS, key ids test1)" in out
    assert "never beside the backup" in out
    secret = TEST_DATA_KEYS.partition(":")[2]
    for path in (tmp_path / "backup").iterdir():
        held = path.read_bytes()
        assert secret.encode() not in held and bytes.fromhex(secret) not in held, path.name

    backup = tmp_path / "backup"
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["alembic_revision"] == head_revision() and manifest["backend"] == "sqlite"
    assert sorted(item["role"] for item in manifest["files"]) == ["store", "tracker"]
    assert private_modes(backup) == {
        ".": 0o700,
        "manifest.json": 0o600,
        "manifest.sig": 0o600,
        "store.sqlite3.sealed": 0o600,
        "tracker.sqlite3.sealed": 0o600,
    }
    assert manifest["key_id"] == "test1" and manifest["format"] == 2

    fresh = tmp_path / "fresh"
    use_data_folder(monkeypatch, fresh)
    status, out, err = bot("db", "restore", str(backup))
    assert status == 0, err
    assert "opens only with the data keys that sealed it (key ids here: test1)" in out
    restored = fresh / "store.db"

    # The restored store is one moment of the live one: every case submitted before the backup, some of
    # those written during it, and its audit trail whole. A case is made in several transactions (start, two
    # answers, submit), so the moment may hold the writer's one case in the making, as the live store held it
    # then; every submitted case is whole (its two answers).
    everything = [row[0] for row in rows(restored, "SELECT reference FROM assessments ORDER BY id")]
    submitted = "SELECT reference FROM assessments WHERE submitted_at IS NOT NULL ORDER BY id"
    references = [row[0] for row in rows(restored, submitted)]
    assert set(before) <= set(references) and set(everything) <= set(before + written)
    assert len(set(everything) - set(references)) <= 1, "only the case being written may be unsubmitted"
    whole = "SELECT count(*) FROM answers JOIN assessments a ON a.id = answers.assessment_id"
    assert rows(restored, f"{whole} WHERE a.submitted_at IS NOT NULL") == [(2 * len(references),)]
    assert len(everything) < len(before) + len(written), "the writer went on after the backup"
    status, out, err = bot("audit", "verify")
    assert status == 0, err
    events = rows(restored, "SELECT id, hash FROM audit_events ORDER BY id")
    assert f"audit trail intact: {len(events)} events" in out
    # ... and a prefix of the live trail: the same events with the same hashes, in order.
    assert (
        rows(live / "store.db", f"SELECT id, hash FROM audit_events ORDER BY id LIMIT {len(events)}")
        == events
    )
    assert rows(fresh / "engine" / "tracker.db", "SELECT count(*) FROM events") == [(TRACKER_ROWS,)]

    # Each restored submitted case exports exactly as the live one does (submitted cases do not change).
    (tmp_path / "restored-exports").mkdir()
    (tmp_path / "live-exports").mkdir()
    restored_exports = {
        reference: export(reference, tmp_path / "restored-exports") for reference in references
    }
    use_data_folder(monkeypatch, live)
    live_exports = {reference: export(reference, tmp_path / "live-exports") for reference in references}
    assert live_exports == restored_exports


def test_a_changed_file_is_refused_and_nothing_is_restored(
    live: Path, tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(f"sqlite:///{live / 'store.db'}") as store:
        write_cases(store, bank, 1)
    backup = tmp_path / "backup"
    assert bot("db", "backup", str(backup))[0] == 0
    copy = backup / "store.sqlite3.sealed"
    content = bytearray(copy.read_bytes())
    content[-100] ^= 0xFF  # same size, one byte different
    copy.write_bytes(bytes(content))

    fresh = tmp_path / "fresh"
    use_data_folder(monkeypatch, fresh)
    status, _out, err = bot("db", "restore", str(backup))

    assert status == 1
    assert "store.sqlite3.sealed: SHA-256" in err and "does not match the manifest" in err
    assert not (fresh / "store.db").exists() and not (fresh / "engine" / "tracker.db").exists()


def test_a_store_or_tracker_that_is_not_empty_is_refused_and_left_as_it_was(
    live: Path, tmp_path: Path, bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(f"sqlite:///{live / 'store.db'}") as store:
        write_cases(store, bank, 1)
    backup = tmp_path / "backup"
    assert bot("db", "backup", str(backup))[0] == 0
    with open_store(f"sqlite:///{live / 'store.db'}") as store:
        write_cases(store, bank, 1)  # the live store moves on
    count = "SELECT count(*) FROM assessments"

    status, _out, err = bot("db", "restore", str(backup))  # into the live data folder itself

    assert status == 1
    assert f"the store {live / 'store.db'} is not empty" in err
    assert rows(live / "store.db", count) == [(2,)]

    # A fresh store but a tracker with rows in it: refused too, and the store is not written either.
    fresh = tmp_path / "fresh"
    make_tracker(fresh)
    use_data_folder(monkeypatch, fresh)
    status, _out, err = bot("db", "restore", str(backup))
    assert status == 1
    assert "the engine's tracker store" in err and "is not empty" in err
    assert not (fresh / "store.db").exists()


def test_a_backup_is_never_written_into_a_folder_that_holds_anything(live: Path, tmp_path: Path) -> None:
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")

    status, _out, err = bot("db", "backup", str(folder))

    assert status == 1 and "is not empty" in err
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]
