"""Every command that touches the data folder makes it private, not only `bot run` (issue #28): folders 0700,
files 0600 (the SQLite file and its -wal and -shm files included), whatever the umask; files written with
`--output` are 0600. The real console script, as a subprocess, under the common umask of 022."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import db
from bot.store.services import Store
from tests.cli.subprocess_env import subprocess_env
from tests.fixtures.databases import MigratedSqlite

BOT = Path(sys.executable).parent / "bot"
PASSWORD = "a long enough password"
COMMON_UMASK = 0o022


def run(data_dir: Path, *args: str, stdin: str = "", **extra_env: str) -> subprocess.CompletedProcess[bytes]:
    env = subprocess_env(data_dir, **extra_env)
    return subprocess.run(
        [str(BOT), *args],
        input=stdin.encode(),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
        umask=COMMON_UMASK,
    )


def modes(folder: Path) -> dict[str, int]:
    """Every path under `folder` (itself included, as "."), with its permission bits."""
    found = {".": stat.S_IMODE(folder.lstat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_private(folder: Path) -> None:
    exposed = {
        name: oct(mode)
        for name, mode in modes(folder).items()
        if mode != (0o700 if (folder / name).is_dir() else 0o600)
    }
    assert exposed == {}, f"not private under {folder}: {exposed}"


def test_db_upgrade_on_a_new_data_folder_leaves_every_file_0600_and_folder_0700(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run(data_dir, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    names = set(modes(data_dir))
    assert "store.db" in names
    assert_private(data_dir)


def test_the_sqlite_write_ahead_files_are_private_from_the_start(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    """-wal and -shm exist only while a connection is open: open one (as the running app would), then let
    the command write beside it. The store starts as `bot db upgrade` leaves it (the test above): migrated,
    the folder 0700 and the file 0600."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    migrated_sqlite(data_dir / "store.db")
    (data_dir / "store.db").chmod(0o600)
    assert_private(data_dir)
    sessions = db.make_session_factory(f"sqlite:///{data_dir / 'store.db'}")
    try:
        Store(sessions).users.team_names()  # holds the WAL open
        added = run(
            data_dir,
            "user",
            "add",
            "ann",
            "--role",
            "admin",
            "--team",
            "Admins",
            "--create-team",
            stdin=PASSWORD,
        )
        assert added.returncode == 0, added.stderr
        assert {"store.db-wal", "store.db-shm"} <= set(modes(data_dir))
        assert_private(data_dir)
    finally:
        sessions.kw["bind"].dispose()


@pytest.mark.parametrize(
    "command",
    [
        ("db", "upgrade"),
        ("user", "add", "ann", "--role", "admin", "--team", "Admins", "--create-team"),
        (
            "user",
            "set-email",
            "nobody",
            "nobody@example.org",
        ),  # refused, and the folder made private all the same
        ("report", "--from", "2026-04-01", "--to", "2026-04-30"),
    ],
    ids=["db upgrade", "user add", "user set-email", "report"],
)
def test_a_data_folder_left_readable_is_made_private(
    tmp_path: Path, migrated_sqlite: MigratedSqlite, command: tuple[str, ...]
) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "logs").mkdir(parents=True)
    migrated_sqlite(data_dir / "store.db")
    (data_dir / "logs" / "old.log").write_text("from an older version\n")
    for path in (data_dir, data_dir / "logs"):
        path.chmod(0o755)
    for path in (data_dir / "store.db", data_dir / "logs" / "old.log"):
        path.chmod(0o644)
    result = run(data_dir, *command, stdin=PASSWORD)
    assert b"Traceback" not in result.stderr
    assert_private(data_dir)


@pytest.fixture
def upgraded(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    return data_dir


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "file there before, 0644"])
def test_files_written_with_output_are_0600(tmp_path: Path, upgraded: Path, existing: bool) -> None:
    report = tmp_path / "out" / "report.xlsx"
    report.parent.mkdir()
    if existing:
        report.write_bytes(b"old")
        report.chmod(0o644)
    result = run(
        upgraded,
        "report",
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-30",
        "--format",
        "xlsx",
        "--output",
        str(report),
    )
    assert result.returncode == 0, result.stderr
    assert report.read_bytes().startswith(b"PK")  # a whole new xlsx, not the old bytes
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
