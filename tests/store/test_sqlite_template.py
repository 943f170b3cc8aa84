"""The per-test SQLite databases (copies of one template migrated once per session, tests/fixtures) are
what the migrations make from empty, and behave as production's: WAL and foreign keys on per connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import db
from tests.fixtures.databases import MigratedSqlite


def schema(path: Path) -> dict[tuple[str, str], list[str]]:
    """Each table, index and trigger with the lines of its SQL, sorted: Alembic's batch mode (which rebuilds
    SQLite tables) writes a table's constraints in an order that differs from one upgrade to the next."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        connection.close()
    return {
        (kind, name): sorted(line.strip().rstrip(",") for line in (sql or "").splitlines())
        for kind, name, sql in rows
    }


def test_a_copy_has_the_schema_the_migrations_make_from_empty(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    fresh = tmp_path / "fresh.db"
    db.upgrade(f"sqlite:///{fresh}")
    copy = migrated_sqlite(tmp_path / "copy.db")

    assert db.current_revision(copy) == db.head_revision()
    assert schema(tmp_path / "copy.db") == schema(fresh)


def test_the_template_is_self_contained_and_copies_open_in_wal(
    tmp_path: Path, sqlite_template: Path, migrated_sqlite: MigratedSqlite
) -> None:
    assert not sqlite_template.with_name(f"{sqlite_template.name}-wal").exists()
    assert not sqlite_template.with_name(f"{sqlite_template.name}-shm").exists()
    url = migrated_sqlite(tmp_path / "store.db")
    engine = db.make_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_copy_never_overwrites_a_database(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> None:
    migrated_sqlite(tmp_path / "store.db")
    with pytest.raises(FileExistsError):
        migrated_sqlite(tmp_path / "store.db")
