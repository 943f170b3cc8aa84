"""`bot keys tracker-keys` (issue #31/#35): the engine's container is started by deploy/engine-entry.sh, not
`bot run`, so the operator writes the engine's tracker keys to a file from the data keys. The file holds the
keys `bot run` derives (what one seals the other opens), never a data key; it is made 0600, never over an
existing file without --force, never on a terminal; and the entry script hands the engine those keys and no
`_FILE` variable. Output and refusals are called in-process; file modes, terminals and the script run for
real.
"""

from __future__ import annotations

import os
import pty
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.crypto.key_ring import parse_key_ring
from bot.crypto.tracker_keys import EVENTS_TABLE, tracker_key_ring
from bot.runtime.model import ENGINE_EXTENSIONS
from bot.runtime.process_env import engine_variables
from bot.settings import Settings
from tests.cli.in_process import run_in_process
from tests.cli.test_conventions import run
from tests.engine.engine_tracker_seal import tracker_seal

REPO = Path(__file__).resolve().parents[2]
OLD = "old1:" + "11" * 32
NEW = "new2:" + "22" * 32
EVENT = '{"event": "user", "text": "He said he would wait for her after school"}'


def keys_in(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split(":")) for line in text.splitlines()]  # type: ignore[misc]


def test_the_file_holds_one_tracker_key_a_line_with_the_data_keys_ids_and_no_data_key(tmp_path: Path) -> None:
    target = tmp_path / "tracker-keys"
    result = run_in_process(
        tmp_path, "keys", "tracker-keys", "--output", str(target), BOT_DATA_KEYS=f"{OLD},{NEW}"
    )
    assert result.returncode == 0, result.stderr
    written = target.read_text(encoding="utf-8")
    assert [key_id for key_id, _ in keys_in(written)] == ["old1", "new2"]  # oldest first, as the data keys
    assert all(len(secret) == 64 for _, secret in keys_in(written))
    assert "11" * 32 not in written and "22" * 32 not in written
    out = result.stdout.decode()
    assert out.startswith(f"wrote the tracker keys for data key ids old1, new2 (oldest first) to {target}")
    assert "BOT_TRACKER_KEYS_FILE" in out and written.splitlines()[0] not in out  # the keys only in the file


def test_the_files_keys_open_what_bot_runs_derived_keys_sealed_and_back(tmp_path: Path) -> None:
    """The same keys: the engine given the file (as deploy/engine-entry.sh gives it) and the engine `bot run`
    starts open each other's rows, and the app's transcript ring opens both."""
    key_file = tmp_path / "data-keys"
    key_file.write_text(f"{OLD}\n{NEW}\n", encoding="utf-8")
    key_file.chmod(0o600)
    target = tmp_path / "tracker-keys"
    made = run_in_process(
        tmp_path,
        "keys",
        "tracker-keys",
        "--output",
        str(target),
        BOT_DATA_KEYS="",
        BOT_DATA_KEYS_FILE=str(key_file),
    )
    assert made.returncode == 0, made.stderr
    # What the entry script exports: `$(cat FILE)`, trailing new line dropped.
    container = tracker_seal.seal_from_env(
        {"BOT_TRACKER_KEYS": target.read_text(encoding="utf-8").rstrip("\n"), "BOT_ENV": "production"}
    )
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DATA_KEYS": f"{OLD},{NEW}"})
    under_bot_run = tracker_seal.parse_keys(
        engine_variables(settings, str(ENGINE_EXTENSIONS), {})["BOT_TRACKER_KEYS"]
    )
    assert container is not None and container.key_ids == under_bot_run.key_ids == ("old1", "new2")
    sealed_in_container = container.seal(EVENT, EVENTS_TABLE, "c-1")
    sealed_under_bot_run = under_bot_run.seal(EVENT, EVENTS_TABLE, "c-1")
    assert sealed_in_container.startswith("enc1:new2:") and "school" not in sealed_in_container
    assert under_bot_run.open(sealed_in_container, EVENTS_TABLE, "c-1") == EVENT
    assert container.open(sealed_under_bot_run, EVENTS_TABLE, "c-1") == EVENT
    transcript = tracker_key_ring(parse_key_ring(f"{OLD},{NEW}"))
    assert transcript.open(sealed_in_container, EVENTS_TABLE, "c-1") == EVENT
    # An older row, sealed before the new data key was added, still opens in the container.
    before_rotation = tracker_seal.parse_keys(
        engine_variables(
            Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DATA_KEYS": OLD}),
            str(ENGINE_EXTENSIONS),
            {},
        )["BOT_TRACKER_KEYS"]
    )
    assert container.open(before_rotation.seal(EVENT, EVENTS_TABLE, "c-2"), EVENTS_TABLE, "c-2") == EVENT


def test_an_existing_file_is_kept_unless_force(tmp_path: Path) -> None:
    target = tmp_path / "tracker-keys"
    target.write_text("kept\n", encoding="utf-8")
    refused = run_in_process(tmp_path, "keys", "tracker-keys", "--output", str(target))
    assert refused.returncode == 2
    assert refused.stderr.decode().splitlines()[-1] == (
        f"bot keys tracker-keys: error: argument --output: {target} exists; give --force to replace it"
    )
    assert target.read_text(encoding="utf-8") == "kept\n"
    replaced = run_in_process(tmp_path, "keys", "tracker-keys", "--output", str(target), "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert [key_id for key_id, _ in keys_in(target.read_text(encoding="utf-8"))] == ["test1"]  # the suite's


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"BOT_DATA_KEYS": ""},
            "bot: the tracker keys are derived from the data keys: set BOT_DATA_KEYS_FILE (or BOT_DATA_KEYS) "
            "to the data keys the app uses",
        ),
        (
            {"BOT_DATA_KEYS": "k1:" + "ab" * 31},
            "bot: BOT_DATA_KEYS: key 'k1' must be 32 bytes written as 64 hex digits",
        ),
        (
            {"BOT_DATA_KEYS": "", "BOT_DATA_KEYS_FILE": "/nonexistent/data-keys"},
            "bot: BOT_DATA_KEYS_FILE: /nonexistent/data-keys does not exist",
        ),
    ],
    ids=["no-keys", "bad-key", "missing-file"],
)
def test_bad_data_keys_are_one_line_and_write_nothing(
    tmp_path: Path, extra: dict[str, str], message: str
) -> None:
    target = tmp_path / "tracker-keys"
    result = run_in_process(tmp_path, "keys", "tracker-keys", "--output", str(target), **extra)
    assert (result.returncode, result.stderr.decode(), result.stdout) == (1, message + "\n", b"")
    assert not target.exists()


def test_a_data_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "data-keys"
    key_file.write_text(NEW, encoding="utf-8")
    key_file.chmod(0o644)
    result = run_in_process(
        tmp_path,
        "keys",
        "tracker-keys",
        "--output",
        str(tmp_path / "tracker-keys"),
        BOT_DATA_KEYS="",
        BOT_DATA_KEYS_FILE=str(key_file),
    )
    assert result.returncode == 1
    assert "can be read or changed by group or others (mode 644)" in result.stderr.decode()
    assert not (tmp_path / "tracker-keys").exists()


def test_dash_writes_the_keys_to_a_pipe_and_the_note_to_stderr(tmp_path: Path) -> None:
    result = run_in_process(tmp_path, "keys", "tracker-keys", "--output", "-")
    assert result.returncode == 0, result.stderr
    assert [key_id for key_id, _ in keys_in(result.stdout.decode())] == ["test1"]
    assert "to standard output" in result.stderr.decode()


def test_a_new_file_and_a_replaced_one_are_mode_600(tmp_path: Path) -> None:
    target = tmp_path / "tracker-keys"
    assert run(tmp_path, "keys", "tracker-keys", "--output", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)
    result = run(tmp_path, "keys", "tracker-keys", "--output", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.fixture
def terminal() -> Iterator[tuple[int, str]]:
    """A pseudo-terminal (its child side and that side's path). Nothing is written to it: the command refuses
    before it writes a byte."""
    controller, child = pty.openpty()
    yield child, os.ttyname(child)
    os.close(child)
    os.close(controller)


def test_a_terminal_is_refused_as_standard_output_and_as_the_file(
    tmp_path: Path, terminal: tuple[int, str]
) -> None:
    descriptor, path = terminal
    for arguments in (("--output", "-"), ("--output", path, "--force")):
        result = run(tmp_path, "keys", "tracker-keys", *arguments, stdout=descriptor)
        assert result.returncode == 2, arguments
        assert result.stderr.decode().splitlines()[-1] == (
            "bot keys tracker-keys: error: argument --output: the tracker keys are secret and a terminal "
            "would show them; give a FILE, or - into a pipe"
        )


def entry(tmp_path: Path, **files: str) -> subprocess.CompletedProcess[str]:
    """deploy/engine-entry.sh as the engine image runs it, with `python` (which would start Rasa) replaced
    by a stand-in that writes down the environment it was given."""
    stand_in = tmp_path / "bin" / "python"
    stand_in.parent.mkdir()
    stand_in.write_text('#!/bin/sh\nenv > "$ENV_SEEN"\n', encoding="utf-8")
    stand_in.chmod(0o700)
    env = {
        "PATH": f"{stand_in.parent}:{os.environ['PATH']}",
        "ENV_SEEN": str(tmp_path / "env-seen"),
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_ENGINE_PORT": "5005",
    }
    for name, text in files.items():
        path = tmp_path / name.lower()
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        env[name] = str(path)
    return subprocess.run(
        ["sh", str(REPO / "deploy" / "engine-entry.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_engine_entry_exports_the_tracker_keys_and_drops_every_file_variable(tmp_path: Path) -> None:
    target = tmp_path / "written"
    assert run_in_process(tmp_path, "keys", "tracker-keys", "--output", str(target)).returncode == 0
    keys = target.read_text(encoding="utf-8")
    result = entry(
        tmp_path,
        BOT_ENGINE_TOKEN_FILE="engine-token\n",
        BOT_ACTIONS_TOKEN_FILE="actions-token\n",
        BOT_TRACKER_KEYS_FILE=keys,
    )
    assert result.returncode == 0, result.stderr
    seen = (tmp_path / "env-seen").read_text(encoding="utf-8")
    assert f"BOT_TRACKER_KEYS={keys.rstrip()}\n" in seen
    assert "BOT_ENGINE_TOKEN=engine-token\n" in seen
    assert "_FILE=" not in seen and "BOT_DATA_KEYS" not in seen
    assert tracker_seal.parse_keys(keys.rstrip()).key_ids == ("test1",)


def test_the_engine_entry_without_the_tracker_keys_file_stops_naming_it(tmp_path: Path) -> None:
    result = entry(tmp_path, BOT_ENGINE_TOKEN_FILE="engine-token\n", BOT_ACTIONS_TOKEN_FILE="actions-token\n")
    assert result.returncode != 0
    wanted = "BOT_TRACKER_KEYS_FILE: give the engine its tracker keys file, written by bot keys tracker-keys"
    assert wanted in result.stderr
    assert not (tmp_path / "env-seen").exists()
