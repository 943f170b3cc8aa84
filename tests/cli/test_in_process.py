"""The in-process runner (tests/cli/in_process.py): a command that leaves the process changed fails the call
(here `bot user list` under the production hashing profile, which open_store makes the whole process's, as
it should in a real `bot` process), argparse's exits are exit codes, and a call given a whole environment
sees its BOT_ variables and none of the caller's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.store import passwords
from tests.cli.in_process import CLI_ENV, run_in_process, run_with_environment
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


def test_a_call_given_a_whole_environment_sees_its_variables_and_none_of_the_callers(
    tmp_path: Path, migrated_sqlite: MigratedSqlite, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    # The caller's store is somewhere else, not migrated: a command that saw it would refuse to run.
    elsewhere = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("BOT_DATABASE_URL", elsewhere)
    profiles = ("BOT_PASSWORD_HASHING", "BOT_SQLITE_DURABILITY", "BOT_DATA_KEYS")
    environment = {"BOT_DATA_DIR": str(data_dir), **{name: CLI_ENV[name] for name in profiles}}
    added = run_with_environment(
        environment,
        *("user", "add", "in-process-admin", "--role=practitioner", "--team=Runner team", "--create-team"),
        stdin="a password of a good length\n",
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    listed = run_with_environment(environment, "user", "list")
    assert listed.returncode == 0, listed.stderr
    assert "in-process-admin" in listed.stdout.decode()
    assert not (tmp_path / "elsewhere.db").exists()
    assert os.environ["BOT_DATABASE_URL"] == elsewhere  # the caller's environment is as it was
