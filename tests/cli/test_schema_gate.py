"""Issue #35: migrations are a one-off step in production (`bot db upgrade`); start-up only checks the schema.

Each start is the real console script or `python -m bot.web` as a subprocess with a short timeout, on a real
SQLite store. Production refuses a schema that is missing, behind or from a newer version with one message and
changes nothing; development keeps migrating on start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.store import db
from tests.cli.test_production_run import (
    BOT,
    REPO,
    assert_nothing_left,
    bot_run,
    clean_env,
    everything,
    ports,
    upgraded_store,
)
from tests.fixtures.databases import MigratedSqlite


def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'store.db'}"


def start_app(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The app alone, as `bot run` starts it; a refused start exits well within the timeout. The store made
    by the test is made private first, as `bot run` would, or the app refuses it for that (issue #30)."""
    for path in Path(env["BOT_DATA_DIR"]).iterdir():
        path.chmod(0o600)
    return subprocess.run(
        [sys.executable, "-m", "bot.web"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_bot_run_refuses_an_empty_database_and_creates_nothing(tmp_path: Path) -> None:
    env = clean_env(**everything(tmp_path))
    result, pid = bot_run(env)
    assert result.returncode == 1
    assert result.stderr.count("BOT_ENV=production: cannot start") == 1
    assert "has no schema" in result.stderr and "`bot db upgrade`" in result.stderr
    assert "Production never migrates on start" in result.stderr
    assert not (tmp_path / "data" / "store.db").exists()  # not even an empty file was made
    assert_nothing_left(pid, env)


def test_production_app_refuses_a_schema_behind_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    env = clean_env(**everything(tmp_path))
    (tmp_path / "data").mkdir(mode=0o700)
    db.upgrade(store_url(tmp_path), "0027")
    result = start_app(env)
    assert result.returncode == 1
    assert f"is at revision 0027, behind this version's {db.head_revision()}" in result.stderr
    assert "BOT_DATABASE_OWNER_URL" in result.stderr  # where the owner role comes in, on PostgreSQL
    assert db.current_revision(store_url(tmp_path)) == "0027"  # not migrated


def test_production_refuses_a_database_from_a_newer_version(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    env = clean_env(**everything(tmp_path))
    upgraded_store(migrated_sqlite, tmp_path / "data")
    engine = db.make_engine(store_url(tmp_path))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = start_app(env)
    assert result.returncode == 1
    assert "revision 9999, which this version does not know" in result.stderr


def test_production_starts_after_the_one_off_upgrade(tmp_path: Path) -> None:
    env = clean_env(**everything(tmp_path))
    command = [str(BOT), "db", "upgrade"]
    upgrade = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    result, pid = bot_run(env)
    assert "database is at the latest migration" in result.stdout
    assert "checked, not migrated" in result.stdout
    assert "engine environment is missing" in result.stderr  # past the schema, it stops where it would train
    assert_nothing_left(pid, env)


def test_development_still_migrates_on_start(tmp_path: Path) -> None:
    env = clean_env(
        BOT_DATA_DIR=str(tmp_path / "data"),
        BOT_MODEL_CACHE="off",
        BOT_ENGINE_VENV=str(tmp_path / "no-engine"),
        BOT_PASSWORD_HASHING="insecure-fast-for-tests",
        **ports(),
    )
    del env["BOT_ENV"]
    result, pid = bot_run(env)
    assert "database is at the latest migration" in result.stdout
    assert "checked, not migrated" not in result.stdout
    assert db.current_revision(store_url(tmp_path)) == db.head_revision()
    assert_nothing_left(pid, env)
