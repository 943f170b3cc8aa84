"""The words of moving a practice run to live (bot/chat/move_to_live.yaml), shared by the web page and Teams:
the shipped file reads whole, and a file with a missing, unknown or empty entry is refused, naming the file
and the entries, so a practitioner is never shown half a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.chat.move_to_live import WORDS_FILE, MoveWordsError, move_words
from bot.store.practice_move import MovableRun


def test_the_shipped_words_read_and_say_what_the_move_does_for_each_kind_of_run() -> None:
    words = move_words()
    run = MovableRun("A-ABC234", "sam", "North team", submitted=True, urgent=True, own=False)
    assert words.what_happens(run) == [
        "the answers, kept exactly as typed, become a live assessment under sam's name in North team",
        words.leads_at_once,
        words.urgent_notice,
        words.not_practice,
        words.not_deleted,
    ]
    assert "2,000 characters" in words.hint()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda text: text.replace("warning:", "warnin:"), "warnin"),
        (lambda text: text.replace('confirm: "Move to live"', 'confirm: ""'), "confirm"),
        (lambda text: text + "extra: [1, 2]\n", "extra"),
    ],
)
def test_a_bad_words_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, change: Callable[[str], str], named: str
) -> None:
    bad = tmp_path / "move_to_live.yaml"
    bad.write_text(change(WORDS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(MoveWordsError) as refused:
        move_words(bad)
    assert str(bad) in str(refused.value) and named in str(refused.value)
