"""Why a typed message read as danger or not (bot.dialogue.reading.danger_reason): the one decision the
product makes and bench/understanding.py counts, so the two cannot drift apart."""

from __future__ import annotations

import pytest

from bot.dialogue.reading import (
    MIN_DANGER_OPINION,
    DangerReason,
    Reading,
    danger_reason,
    read_message,
    reads_as_danger,
)
from bot.domain.protocol import Payload

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
        DangerReason.SECOND_OPINION,
    }


# The engine's second opinion (a calibrated probability of danger): heard only when the rules do not flag,
# and not over the ordinary guard (a game, sport, schoolwork, something past, an idiom, a what-if).
FLAGGED = [c for c in CASES if c[3].flags]
GUARDED = [c for c in CASES if c[3] is DangerReason.ORDINARY_GUARD]
NOT_FLAGGED = [c for c in CASES if not c[3].flags and c not in GUARDED]


@pytest.mark.parametrize(("text", "intent", "confidence", "reason"), NOT_FLAGGED)
def test_a_second_opinion_sure_of_danger_flags_what_the_rules_do_not(
    text: str, intent: str | None, confidence: float, reason: DangerReason
) -> None:
    assert danger_reason(text, intent, confidence, MIN_DANGER_OPINION) is DangerReason.SECOND_OPINION
    assert danger_reason(text, intent, confidence, 1.0) is DangerReason.SECOND_OPINION
    # Just under the line, the rules' own reason stands.
    assert danger_reason(text, intent, confidence, MIN_DANGER_OPINION - 0.001) is reason


@pytest.mark.parametrize(("text", "intent", "confidence", "reason"), FLAGGED + GUARDED)
@pytest.mark.parametrize("opinion", [0.0, 0.5, 0.99])
def test_a_second_opinion_never_clears_a_flag_nor_overrules_the_ordinary_guard(
    text: str, intent: str | None, confidence: float, reason: DangerReason, opinion: float
) -> None:
    assert danger_reason(text, intent, confidence, opinion) is reason


def test_without_a_second_opinion_the_rules_decide_alone() -> None:
    text, intent, confidence, reason = NOT_FLAGGED[0]
    assert danger_reason(text, intent, confidence, None) is reason


def test_the_reading_hears_the_second_opinion_and_buttons_ignore_it() -> None:
    text = "she looks tired in lessons"
    assert read_message(text, "inform", 0.9).kind == "answer"
    assert read_message(text, "inform", 0.9, danger_opinion=0.97).kind == "danger"
    # A button's payload and the open question's own option are what they say, whatever the opinion.
    assert read_message(Payload.SKIP.value, "skip", 1.0, danger_opinion=0.99) == Reading("control", "skip")
    assert read_message("yes", "affirm", 0.9, choice_words=frozenset({"yes"}), danger_opinion=0.99).kind == (
        "answer"
    )
