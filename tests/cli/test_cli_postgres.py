"""`bot` commands called in-process on PostgreSQL leave no connection open behind them (issue #28).

bot.cli.main disposes of every engine a command opened when the command ends, so a caller that goes on
living (a test, a script) can drop the database at once. The drop is PostgreSQL's own, unforced: it fails
with "being accessed by other users" while any connection is left.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from tests.fixtures.postgres import PostgresDatabases


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = os.environ["BOT_DATA_KEYS"]  # the suite's data key (tests/conftest.py)
    for key in [key for key in os.environ if key.startswith("BOT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_SERVICE_TOKEN", "cli-test-token")
    monkeypatch.setenv("BOT_ENGINE_TOKEN", "cli-engine-token")
    monkeypatch.setenv("BOT_ACTIONS_TOKEN", "cli-actions-token")
    monkeypatch.setenv("BOT_SESSION_SECRET", "ef" * 32)
    # In process: open_store sets the process's data key ring from these settings, so keep the suite's.
    monkeypatch.setenv("BOT_DATA_KEYS", keys)


@pytest.mark.usefixtures("cli_env")
def test_bot_report_in_process_on_postgresql_leaves_the_database_free_to_drop(
    postgres_databases: PostgresDatabases, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_databases.create()
    monkeypatch.setenv("BOT_DATABASE_URL", url)

    status = main(["report", "--from", "2026-04-01", "--to", "2026-04-30"])

    assert status == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip(), "the report was written"
    # Fails the test, naming the open connections, if the command kept any (tests/fixtures/postgres.py).
    postgres_databases.drop(url)
