"""The `bot` command follows argparse's conventions (issue #28): `--version`, help on every subcommand and
argument with defaults shown, SUBCOMMAND (never an internal dest) in errors, a `--team` that must exist unless
`--create-team`, no binary output to a terminal unless `--output -`, the password policy in `--help`, and
module entry points that parse their arguments rather than start a server. Help, usage errors and the team
check are called in-process (tests/cli/in_process.py); `--version`, terminals, pipes and module entry points
run for real."""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.version import DISTRIBUTION
from bot.store import db
from bot.store.services import Store
from tests.cli.in_process import run_in_process, run_module_in_process
from tests.cli.subprocess_env import subprocess_env
from tests.fixtures.databases import MigratedSqlite

BOT = Path(sys.executable).parent / "bot"
PASSWORD = "a long enough password"
REPO = Path(__file__).resolve().parents[2]


def run(
    data_dir: Path, *args: str, stdin: str = "", stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = subprocess_env(data_dir)
    return subprocess.run(
        [str(BOT), *args],
        input=stdin.encode(),
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def upgraded(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    migrated_sqlite(data_dir / "store.db")
    return data_dir


def test_version_prints_the_package_version_and_exits_0(tmp_path: Path) -> None:
    result = run(tmp_path, "--version")
    assert (result.returncode, result.stdout.decode()) == (0, f"bot {version(DISTRIBUTION)}\n")
    assert not (tmp_path / "store.db").exists()  # touches nothing


def every_parser() -> list[tuple[str, argparse.ArgumentParser]]:
    from bot.cli import _parser

    found, waiting = [], [("bot", _parser())]
    while waiting:
        name, parser = waiting.pop()
        found.append((name, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest for choice in action._choices_actions if choice.help}
                assert helped == set(action.choices), f"{name}: subcommands without help"
                assert action.metavar == "SUBCOMMAND"
                waiting.extend((f"{name} {sub}", child) for sub, child in action.choices.items())
    return found


def test_every_subcommand_and_argument_has_help() -> None:
    parsers = every_parser()
    # `bot questions` and `bot questions check` are the thirteenth and fourteenth, `bot user deactivate` the
    # fifteenth, `bot shell` the sixteenth; `bot scenarios`, its `list`, `check` and `purge` the next four;
    # `bot audit` and `bot audit verify` two more; `bot retention`, its `run`, `hold`, `lift` four more;
    # `bot db backup` and `bot db restore` two more; `bot user list`, `set-role`, `set-team`, `reactivate` and
    # `reset-password` (issue #32) five more; `bot case` and `bot case export-sar` two more;
    # `bot keys tracker-keys` (issue #35) the last.
    assert len(parsers) == 41
    missing = [
        f"{name} {action.dest}"
        for name, parser in parsers
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (("assessments", "export"), "what to write (default: json)"),
        (("report",), "what to write (default: csv)"),
    ],
)
def test_help_shows_defaults(tmp_path: Path, command: tuple[str, ...], shown: str) -> None:
    result = run_in_process(tmp_path, *command, "--help")
    assert result.returncode == 0
    assert shown in " ".join(result.stdout.decode().split())
    assert "(default: None)" not in result.stdout.decode()


@pytest.mark.parametrize(
    "command", [(), ("db",), ("user",), ("assessments",), ("questions",), ("scenarios",)]
)
def test_a_missing_subcommand_is_named_subcommand_not_an_internal_dest(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = run_in_process(tmp_path, *command)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.endswith("error: the following arguments are required: SUBCOMMAND\n")
    assert "_command" not in stderr and "command" not in stderr.lower().replace("subcommand", "")


def test_an_unknown_subcommand_is_named_subcommand(tmp_path: Path) -> None:
    result = run_in_process(tmp_path, "db", "downgrade")
    assert result.returncode == 2
    assert "argument SUBCOMMAND: invalid choice: 'downgrade'" in result.stderr.decode()


def test_the_password_policy_is_in_user_add_help(tmp_path: Path) -> None:
    result = run_in_process(tmp_path, "user", "add", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.decode().split())
    assert "12 to 1,024 characters" in text
    assert "read from standard input" in text


def test_team_must_exist_unless_create_team(upgraded: Path) -> None:
    first = ("user", "add", "lee", "--role", "lead", "--team", "Children's Services")
    refused = run_in_process(upgraded, *first, stdin=PASSWORD)
    assert refused.returncode == 2
    assert refused.stderr.decode().splitlines()[-1] == (
        'bot user add: error: argument --team: there is no team called "Children\'s Services" (there are '
        "none yet); check the spelling, or add --create-team to make a new team"
    )
    made = run_in_process(upgraded, *first, "--create-team", stdin=PASSWORD)  # the very first team
    assert made.returncode == 0, made.stderr
    assert (
        run_in_process(
            upgraded,
            "user",
            "add",
            "bea",
            "--role",
            "lead",
            "--team",
            "Board",
            "--create-team",
            stdin=PASSWORD,
        ).returncode
        == 0
    )

    misspelt = run_in_process(
        upgraded,
        "user",
        "add",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "Childrens Servces",
        stdin=PASSWORD,
    )
    assert misspelt.returncode == 2
    assert misspelt.stderr.decode().splitlines()[-1] == (
        "bot user add: error: argument --team: there is no team called 'Childrens Servces' (the teams are: "
        "'Board', \"Children's Services\"); check the spelling, or add --create-team to make a new team"
    )
    users = Store(db.make_session_factory(f"sqlite:///{upgraded / 'store.db'}")).users
    assert users.find_user("pat") is None
    assert users.team_names() == ["Board", "Children's Services"]

    joined = run_in_process(
        upgraded,
        "user",
        "add",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "Children's Services",
        stdin=PASSWORD,
    )
    assert joined.returncode == 0, joined.stderr
    assert users.find_user("pat").team == "Children's Services"  # type: ignore[union-attr]


@pytest.fixture
def terminal() -> Iterator[int]:
    """A pseudo-terminal for the command's stdout: sys.stdout.isatty() is true in the child. A thread drains
    the controller side as a terminal would: unread, the pty's buffer (a few kilobytes) fills and a binary
    report written to it blocks the command for ever."""
    controller, child = pty.openpty()

    def drain() -> None:
        try:
            while os.read(controller, 65536):
                pass
        except OSError:  # the child side closed (EIO), or the controller closed below
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    yield child
    os.close(child)
    reader.join(timeout=5)
    os.close(controller)


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--from", "2026-04-01", "--to", "2026-04-30", "--format", "xlsx"),
        ("assessments", "export", "--id", "1", "--format", "pdf"),
    ],
    ids=["xlsx", "pdf"],
)
def test_binary_output_to_a_terminal_is_refused(
    upgraded: Path, terminal: int, command: tuple[str, ...]
) -> None:
    result = run(upgraded, *command, stdout=terminal)
    assert result.returncode == 2
    assert "writes binary data, which a terminal cannot show: give --output FILE (or --output - " in (
        result.stderr.decode()
    )


def test_binary_output_to_a_terminal_is_written_with_output_dash(upgraded: Path, terminal: int) -> None:
    command = ("report", "--from", "2026-04-01", "--to", "2026-04-30", "--format", "xlsx", "--output", "-")
    assert run(upgraded, *command, stdout=terminal).returncode == 0


def test_binary_output_to_a_pipe_needs_no_dash(upgraded: Path) -> None:
    result = run(upgraded, "report", "--from", "2026-04-01", "--to", "2026-04-30", "--format", "xlsx")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"PK")


def test_text_output_to_a_terminal_is_written(upgraded: Path, terminal: int) -> None:
    result = run(upgraded, "report", "--from", "2026-04-01", "--to", "2026-04-30", stdout=terminal)
    assert result.returncode == 0, result.stderr


def test_main_in_process_leaves_the_umask_as_it_was(upgraded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(upgraded))
    before = os.umask(0o022)
    try:
        assert main(["db", "upgrade"]) == 0
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)


@pytest.mark.parametrize(
    "module",
    [
        "bot.web",
        "bot.runtime.supervisor",
        "bot.runtime.model",
        "bot.runtime.engine_tests",
        "actions.server",
    ],
)
def test_module_entry_points_parse_their_arguments(tmp_path: Path, module: str) -> None:
    """`--help` prints help and exits 0 (it starts no server and touches no data folder); an unknown argument
    is a usage error. Run in-process through runpy, as `-m` runs them (tests/cli/in_process.py); the mail
    sink's entry, below, is started as a real `python -m`."""
    data_dir = str(tmp_path / "data")
    helped = run_module_in_process(module, "--help", BOT_DATA_DIR=data_dir)
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.decode().startswith(f"usage: python -m {module}")
    assert not (tmp_path / "data").exists()
    wrong = run_module_in_process(module, "--no-such-option", BOT_DATA_DIR=data_dir)
    assert wrong.returncode == 2
    assert wrong.stderr.decode().startswith(f"usage: python -m {module}")
    assert b"error: " in wrong.stderr


def test_a_module_entry_parses_its_arguments_in_a_real_python_m(tmp_path: Path) -> None:
    """The same as above for `python -m bot.notify.mail_sink` in a real interpreter (the entry with the
    fewest imports): that runpy in-process answers as `-m` does."""
    module = "bot.notify.mail_sink"
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    helped = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.decode().startswith(f"usage: python -m {module}")
    assert not (tmp_path / "data").exists()
    wrong = subprocess.run(
        [sys.executable, "-m", module, "--no-such-option"],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert wrong.returncode == 2
    assert wrong.stderr.decode().startswith(f"usage: python -m {module}")
    assert b"error: " in wrong.stderr
