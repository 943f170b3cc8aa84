"""The one bank provider (bot.questions.provider): loaded once, reloaded when the files' contents change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.questions import DEFAULT_BANK_PATH, BankError, BankProvider
from bot.questions.provider import bank_path

SHIPPED_VERSION = 'version: "2026.1"'


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_PATH, folder)
    return folder


def set_version(folder: Path, version: str, *, keep_times: bool = False) -> None:
    index = folder / "index.yaml"
    times = index.stat()
    text = index.read_text(encoding="utf-8")
    assert SHIPPED_VERSION in text
    index.write_text(text.replace(SHIPPED_VERSION, f'version: "{version}"'), encoding="utf-8")
    if keep_times:
        os.utime(index, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_the_same_files_give_the_same_bank(copy: Path) -> None:
    provider = BankProvider(copy)
    assert provider.current() is provider.current()
    assert provider.current().version == "2026.1"


def test_an_edit_that_keeps_the_files_times_is_still_picked_up(copy: Path) -> None:
    provider = BankProvider(copy)
    set_version(copy, "2026.2-trial", keep_times=True)
    assert provider.current().version == "2026.2-trial"


def test_a_broken_edit_keeps_the_last_good_bank_and_a_fix_is_picked_up(copy: Path) -> None:
    provider = BankProvider(copy)
    good = provider.current()
    (copy / "s01_young_person.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert provider.current() is good
    assert provider.current() is good  # refused once, not re-read into a new bank on every call
    shutil.copy(DEFAULT_BANK_PATH / "s01_young_person.yaml", copy / "s01_young_person.yaml")
    set_version(copy, "2026.3")
    assert provider.current().version == "2026.3"


def test_a_bad_bank_at_start_refuses_to_start(copy: Path) -> None:
    (copy / "index.yaml").write_text("version: [\n", encoding="utf-8")
    with pytest.raises(BankError):
        BankProvider(copy)


def test_the_environment_names_the_bank(copy: Path) -> None:
    assert bank_path({}) == DEFAULT_BANK_PATH
    assert bank_path({"BOT_BANK_PATH": f" {copy} "}) == copy
    assert BankProvider.from_env({"BOT_BANK_PATH": str(copy)}).path == copy
