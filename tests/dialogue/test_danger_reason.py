"""Why a typed message read as danger or not (bot.dialogue.reading.danger_reason): the one decision the
product makes and bench/understanding.py counts, so the two cannot drift apart."""

from __future__ import annotations

import pytest

from bot.dialogue.reading import DangerReason, danger_reason, reads_as_danger

CASES = [
    # text, intent, confidence, reason
    ("he's got a knife in his bag right now", "inform", 0.99, DangerReason.CATEGORIES),
    ("kill this assessment now", "stop", 0.9, DangerReason.CONTROL_WITH_HARM),
    ("he's threatening his brother", "report_danger", 0.6, DangerReason.CLASSIFIER_AND_CUE),
    ("they are coming for him tonight", "report_danger", 0.9, DangerReason.CLASSIFIER_AND_TIME),
    ("he's threatening his brother", "inform", 0.9, DangerReason.OTHER_INTENT),
    ("he's threatening his brother", None, 0.0, DangerReason.OTHER_INTENT),
    ("he's threatening his brother", "report_danger", 0.49, DangerReason.UNSURE),
    ("stop right now", "report_danger", 0.9, DangerReason.CONTROL_SHAPED),
    ("in the game he has to kill the boss", "report_danger", 0.7, DangerReason.ORDINARY_GUARD),
    ("they are coming for him tonight", "report_danger", 0.6, DangerReason.TIME_ONLY_UNSURE),
    ("she looks tired in lessons", "report_danger", 0.85, DangerReason.NO_CUE),
    # However sure, no cue is no danger: the classifier reads quoted reported speech as danger at 0.99, and a
    # change over time is what the assessment asks about
    ('he said "it\'s not fair" and left', "report_danger", 0.99, DangerReason.NO_CUE),
    ("before he'd talk to me at break, now he avoids me", "report_danger", 0.99, DangerReason.NO_CUE),
    (
        "he takes longer to come back from the toilet and looks like he's been crying",
        "report_danger",
        0.99,
        DangerReason.NO_CUE,
    ),
    # ...however sure, with no cue: the classifier reads reported speech as danger at 0.97 and over
    ("she keeps saying nobody will ever see her again", "report_danger", 0.99, DangerReason.NO_CUE),
    (
        "She said to keep a note of dates and to ring her back on Friday",
        "report_danger",
        0.99,
        DangerReason.NO_CUE,
    ),
    # A game is ordinary, however sure
    (
        "he says he is going to make them pay in the game tonight",
        "report_danger",
        0.99,
        DangerReason.ORDINARY_GUARD,
    ),
]


@pytest.mark.parametrize(("text", "intent", "confidence", "reason"), CASES)
def test_each_rule_is_named(text: str, intent: str | None, confidence: float, reason: DangerReason) -> None:
    assert danger_reason(text, intent, confidence) is reason


@pytest.mark.parametrize(("text", "intent", "confidence", "reason"), CASES)
def test_reads_as_danger_is_the_reason_flagging(
    text: str, intent: str | None, confidence: float, reason: DangerReason
) -> None:
    assert reads_as_danger(text, intent, confidence) is reason.flags


def test_exactly_the_flagging_reasons_flag() -> None:
    flagging = {r for r in DangerReason if r.flags}
    assert flagging == {
        DangerReason.PLAIN,
        DangerReason.CONTROL_WITH_HARM,
        DangerReason.CLASSIFIER_AND_CUE,
        DangerReason.CLASSIFIER_AND_TIME,
        DangerReason.CATEGORIES,
    }
