"""Control kinds in plainer or looser words (issue #11): what the question is after or about, a less formal
wording, leaving a question empty or moving past it, the first question's answer called wrong, "I put X,
actually Y", "could be either", a typed "no sure" and dictated punctuation after "don't know". Each with a
control sentence and an ordinary twin that must stay an answer. Examples are written for this test, not
taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.dialogue.value_swaps import swaps_a_value
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from bot.questions.phrases import is_unsure, match_key
from tests.dialogue.records import record

TODAY = date(2026, 12, 7)
FREE_TEXT = "concern_summary"


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # What the question is after, or which of two it is about: help.
        ("what's the question getting at", "help"),
        ("is it about my role or the family's", "help"),
        # Plainer or shorter wording asked for: explain it another way (help).
        ("a more casual wording would be good", "help"),
        ("way too complex, can it be simpler", "help"),
        # What comes after this question is asked about, not skipped to.
        ("why does it matter for what happens next", "help"),
        # A question left empty, left out or moved past: skip.
        ("is it fine if i leave this empty", "skip"),
        ("please omit it", "skip"),
        ("let's get past this one", "skip"),
        ("would it be ok to not answer that", "skip"),
        # The first question named with an answer there called wrong: that answer to change (back).
        ("my reply on question one was a mistake", "back"),
        # The first question named as where to go: start again.
        ("take me back to question one", "start_again"),
    ],
)
def test_each_kind_reaches_its_control(text: str, control: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "the form was left blank on purpose by school",  # a form left blank, told of
        "mum wants to move past the arguments now",  # moving past something in life
        "she always asks what happens next at bedtime",  # someone else's question
        "the meeting was less formal than usual",  # less formal, no wording asked for
        "the first question at the meeting was about attendance",  # a first question told of
    ],
)
def test_ordinary_twins_are_not_taken(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.95, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


def test_a_wording_request_read_surely_as_an_answer_is_asked_about(bank: QuestionBank) -> None:
    text = "could i have a less wordy version of that"
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.97, today=TODAY)

    assert (reading.kind, reading.control) == ("clarify", "help")


@pytest.mark.parametrize(
    ("text", "swap"),
    [
        ("i put he was 9, he's actually 10", True),
        ("i said june, it's actually july", True),
        ("mum said he was 9, he's actually 10", False),  # someone else's answer: an account
        ("i put 3 books back, actually there were more", False),  # one number only
    ],
)
def test_an_answer_of_mine_put_right_with_actually(text: str, swap: bool) -> None:
    assert swaps_a_value(text) is swap


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("could be either one tbh", True),
        ("no sure", True),
        ("not sure full stop", True),
        ("either of them could be", False),  # no phrase of not knowing
        ("no sure thing with him", False),  # an answer about something else
    ],
)
def test_more_ways_of_not_knowing(text: str, unsure: bool) -> None:
    assert is_unsure(match_key(text)) is unsure
