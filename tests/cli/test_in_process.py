"""The in-process runner (tests/cli/in_process.py): a command that leaves the process changed fails the call
(here `bot user list` under the production hashing profile, which open_store makes the whole process's, as
it should in a real `bot` process), and argparse's exits are exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import passwords
from tests.cli.in_process import run_in_process
from tests.conftest import TEST_PASSWORD_HASHING
from tests.fixtures.databases import MigratedSqlite


def test_a_command_that_changes_a_process_wide_profile_fails_the_call(
    tmp_path: Path, migrated_sqlite: MigratedSqlite
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    try:
        with pytest.raises(AssertionError, match="hashing: 'insecure-fast-for-tests' -> 'standard'"):
            run_in_process(data_dir, "user", "list", BOT_PASSWORD_HASHING="standard")
    finally:
        passwords.use_hashing(TEST_PASSWORD_HASHING)


def test_a_usage_error_is_exit_2_with_argparse_message_on_stderr(tmp_path: Path) -> None:
    result = run_in_process(tmp_path / "data", "user", "add")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith("usage: bot user add")
