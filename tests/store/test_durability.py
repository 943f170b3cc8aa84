"""SQLite's durability (issue #27): production flushes every commit to the disk; only the test configuration
chooses the cheaper setting, and production mode refuses it (tests/cli/test_production_settings.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import Settings
from bot.store.db import make_engine, sqlite_durability_in_use, use_sqlite_durability

# PRAGMA synchronous answers a number: 1 is NORMAL, 2 is FULL.
FULL, NORMAL = 2, 1


@pytest.fixture
def restore_policy() -> Iterator[None]:
    before = sqlite_durability_in_use()
    yield
    use_sqlite_durability(before)


def synchronous_of_a_new_connection(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("PRAGMA synchronous")).scalar_one())
    finally:
        engine.dispose()


def test_production_flushes_every_commit_and_the_tests_profile_does_not(
    tmp_path: Path, restore_policy: None
) -> None:
    use_sqlite_durability("full")
    assert synchronous_of_a_new_connection(tmp_path / "full.db") == FULL
    use_sqlite_durability("fast-for-tests")
    assert synchronous_of_a_new_connection(tmp_path / "fast.db") == NORMAL


def test_the_setting_defaults_to_full_and_refuses_anything_else(tmp_path: Path) -> None:
    assert Settings.from_env({"BOT_DATA_DIR": str(tmp_path)}).sqlite_durability == "full"
    with pytest.raises(SystemExit, match="BOT_SQLITE_DURABILITY must be full"):
        Settings.from_env({"BOT_DATA_DIR": str(tmp_path), "BOT_SQLITE_DURABILITY": "off"})
    with pytest.raises(ValueError, match="SQLite durability must be one of"):
        use_sqlite_durability("off")  # type: ignore[arg-type]
