"""The app's test clock file (BOT_TEST_CLOCK_FILE, bot.runtime.settable_clock): the end-to-end tests move the
session clock of a separate app process forward with it, so it must add exactly what was written, refuse
anything else with a clear message, and leave the real clock alone while the file does not exist.
Production refuses the setting (tests/cli/test_production_settings.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime.settable_clock import ClockFileError, SettableClock, advance, wall_clock
from bot.settings import Settings


def test_no_file_is_the_real_monotonic_clock(tmp_path: Path) -> None:
    clock = SettableClock(tmp_path / "offset")
    before = time.monotonic()
    assert before <= clock() <= time.monotonic()
    assert clock.offset() == 0.0


def test_advancing_adds_up_and_every_reader_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "offset"
    assert advance(path, 1800) == 1800
    assert advance(path, 1.5) == 1801.5
    before = time.monotonic()
    assert before + 1801.5 <= SettableClock(path)() <= time.monotonic() + 1801.5
    assert [p.name for p in tmp_path.iterdir()] == ["offset"]  # the staging file was renamed into place


@pytest.mark.parametrize(("text", "problem"), [("half an hour", "a number of seconds"), ("-5", "negative")])
def test_a_file_that_is_not_a_forward_offset_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "offset"
    path.write_text(text)
    with pytest.raises(ClockFileError, match=problem) as refused:
        SettableClock(path)()
    assert str(path) in str(refused.value)


@pytest.mark.parametrize("seconds", [-1.0, float("nan")])
def test_the_clock_never_moves_back(tmp_path: Path, seconds: float) -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        advance(tmp_path / "offset", seconds)
    assert not (tmp_path / "offset").exists()  # nothing changed


def test_the_setting_names_the_file_and_is_off_by_default(tmp_path: Path) -> None:
    base = {"BOT_DATA_DIR": str(tmp_path / "data")}
    assert Settings.from_env(base).test_clock_file is None
    named = Settings.from_env(base | {"BOT_TEST_CLOCK_FILE": str(tmp_path / "offset")})
    assert named.test_clock_file == tmp_path / "offset"


def test_the_notice_workers_wall_clock_moves_with_the_same_file(tmp_path: Path) -> None:
    """Issue #12: a review reminder falls due when an end-to-end test moves the clock past its date."""
    path = tmp_path / "offset"
    wall = wall_clock(path)
    before = datetime.now(UTC)
    assert before <= wall() <= datetime.now(UTC)  # no file: the real time
    advance(path, 8 * 86400)
    before = datetime.now(UTC)
    assert before + timedelta(days=8) <= wall() <= datetime.now(UTC) + timedelta(days=8)
