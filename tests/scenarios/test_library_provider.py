"""The scenario library a running process serves follows its files and the bank (bot.scenarios.provider).

Trainers add scenarios as data, and the bank they are checked against is reloaded on change: a library read
once at start-up hid a new scenario until a restart and kept scenarios checked against the first bank. Real
files in a copy of the shipped library and bank; no reading is faked.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from bot.questions import DEFAULT_BANK_PATH, BankProvider
from bot.scenarios import DEFAULT_LIBRARY, ScenarioError
from bot.scenarios.debrief_data import DEBRIEF_DATA
from bot.scenarios.provider import LibraryProvider

FIRST = "a_plan_for_friday"


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A bank, a library and a debrief.yaml of the test's own, as shipped."""
    bank, library = tmp_path / "bank", tmp_path / "library"
    shutil.copytree(DEFAULT_BANK_PATH, bank)
    shutil.copytree(DEFAULT_LIBRARY, library)
    debrief = tmp_path / "debrief.yaml"
    shutil.copy(DEBRIEF_DATA, debrief)
    return bank, library, debrief


def provider(copies: tuple[Path, Path, Path]) -> LibraryProvider:
    bank, library, debrief = copies
    return LibraryProvider(BankProvider(bank), library, debrief)


def add_scenario(library: Path, new_id: str, like: str = "group_chat_at_fourteen") -> None:
    """A new scenario file: a copy of a shipped one under a new id and title."""
    text = (DEFAULT_LIBRARY / f"{like}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", "title: Added", text, count=1, flags=re.M)
    (library / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def test_a_scenario_added_while_running_is_served_without_a_restart(copies: tuple[Path, Path, Path]) -> None:
    library = provider(copies)
    before = library.scenarios()
    assert FIRST in before and "added_later" not in before

    add_scenario(copies[1], "added_later")
    after = library.scenarios()
    assert after["added_later"].title == "Added"
    assert set(after) == set(before) | {"added_later"}
    assert library.scenarios() is after, "unchanged files are not read again"


def test_a_broken_edit_keeps_the_last_good_library_and_says_so_once(
    copies: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    library = provider(copies)
    good = library.scenarios()
    (copies[1] / f"{FIRST}.yaml").write_text("id: [half saved", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="bot.scenarios.provider"):
        assert library.scenarios() is good
        assert library.scenarios() is good
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and f"{FIRST}.yaml" in said[0], said

    add_scenario(copies[1], "fixed_after")  # the broken file stays broken: still the last good library
    assert library.scenarios() is good
    (copies[1] / f"{FIRST}.yaml").unlink()
    assert "fixed_after" in library.scenarios(), "once the library passes again it is served"


def test_a_library_that_never_passed_refuses_with_every_problem(copies: tuple[Path, Path, Path]) -> None:
    (copies[1] / f"{FIRST}.yaml").write_text("id: [half saved", encoding="utf-8")
    with pytest.raises(ScenarioError, match=FIRST):
        provider(copies).scenarios()


def test_the_library_is_checked_again_against_an_edited_bank(
    copies: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    library = provider(copies)
    good = library.scenarios()
    # The bank renames an option several scenarios use: they no longer fit the bank the chat asks from.
    screening = copies[0] / "screening.yaml"
    screening.write_text(
        screening.read_text(encoding="utf-8").replace("value: new_contacts", "value: new_people_around"),
        encoding="utf-8",
    )
    index = copies[0] / "index.yaml"
    index.write_text(
        index.read_text(encoding="utf-8").replace('"2026.1"', '"2026.1-edited"'), encoding="utf-8"
    )
    assert BankProvider(copies[0]).current().version == "2026.1-edited", "the edited bank itself is good"

    with caplog.at_level(logging.ERROR, logger="bot.scenarios.provider"):
        assert library.scenarios() is good
    assert "new_contacts" in caplog.text
    with pytest.raises(ScenarioError, match="new_contacts"):
        LibraryProvider(BankProvider(copies[0]), copies[1], copies[2]).scenarios()


def test_the_debriefs_settings_follow_their_file_and_survive_a_broken_edit(
    copies: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    library = provider(copies)
    assert "fortnight" not in library.debrief_data().time_words
    debrief = copies[2]
    debrief.write_text(
        debrief.read_text(encoding="utf-8").replace("time_words: [", "time_words: [fortnight, "),
        encoding="utf-8",
    )
    good = library.debrief_data()
    assert "fortnight" in good.time_words

    debrief.write_text(
        debrief.read_text(encoding="utf-8").replace(
            "other_explanations_question: other_explanations", "other_explanations_question: no_such_question"
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.ERROR, logger="bot.scenarios.provider"):
        assert library.debrief_data() is good
        assert library.debrief_data() is good
    assert caplog.text.count("no_such_question") == 1
