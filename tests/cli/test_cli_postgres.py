"""`bot` commands called in-process on PostgreSQL leave no connection open behind them (issue #28).

bot.cli.main disposes of every engine a command opened when the command ends, so a caller that goes on
living (a test, a script) can drop the database at once. The drop is PostgreSQL's own, unforced: it fails
with "being accessed by other users" while any connection is left.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.in_process import run_in_process
from tests.fixtures.postgres import PostgresDatabases


def test_bot_report_in_process_on_postgresql_leaves_the_database_free_to_drop(
    postgres_databases: PostgresDatabases, tmp_path: Path
) -> None:
    url = postgres_databases.create()

    result = run_in_process(
        tmp_path / "data", "report", "--from", "2026-04-01", "--to", "2026-04-30", BOT_DATABASE_URL=url
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the report was written"
    # Fails the test, naming the open connections, if the command kept any (tests/fixtures/postgres.py).
    postgres_databases.drop(url)
