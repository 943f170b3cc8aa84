"""Danger said beside an everyday word is still danger (issue #11): a parent with the child, a medicine by
name, a match or an exam, a pool, a toy beside a real weapon.

Each of these was read as ordinary for a while, by rules tuned to quieten the eleventh held-out set's false
alarms ("mum's with her" as a plan made safe, "calpol" as a medicine used for its ailment, "at the match" as a
contest); a read of the change found them before it landed, and the rules were taken out. Whatever rule
quietens ordinary mentions next must leave these flagged by the rules alone (the classifier saying `inform`,
no second opinion), so that a false alarm is never bought with a miss.
"""

from __future__ import annotations

import pytest

from bot.dialogue.reading import danger_reason

DANGER_BESIDE_EVERYDAY_WORDS = [
    "her ex is kicking the door in right now, mum's with her",
    "he's collapsed and isn't breathing, his dad's with him",
    "she's with her mum but her stepdad is on his way with a knife now",
    "the toddler's drunk bleach and calpol",
    "going to batter him at the match saturday",
    "he says he'll batter him in the exam hall after the test today",
    "toddler fell in the pool and isn't breathing",
    "he's got a knife and a toy gun in his bag and says he'll use them at lunch",
    "he's got a wooden handled knife in his bag and says he'll stab him at lunch",
]


@pytest.mark.parametrize("text", DANGER_BESIDE_EVERYDAY_WORDS)
def test_danger_beside_an_everyday_word_is_flagged_by_the_rules_alone(text: str) -> None:
    reason = danger_reason(text, "inform", 0.9)

    assert reason.flags, f"{text!r} read as {reason}"
