"""Control kinds people tell with their reason or their own correction (issue #11): notes on the question,
shorter words, holding one's answers, doing it on paper, and "I said X ... but Y". Each with a control
sentence and an ordinary twin that must stay an answer. Examples are written for this test, not taken from
any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.dialogue.value_swaps import swaps_a_value
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from bot.questions.phrases import is_unsure, match_key, opens_unsure
from tests.dialogue.records import record

TODAY = date(2026, 12, 7)
FREE_TEXT = "concern_summary"
CHOICE = "practitioner_role"


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # Notes or guidance on the question asked for: help.
        ("are there notes on this one", "help"),
        ("any guidance notes i can read", "help"),
        # Shorter words, or a wording that makes sense: explain it another way.
        ("shorter sentences would help me", "help"),
        ("ask it so it makes more sense please", "help"),
        # One's answers held while away: a pause.
        ("hold my answers till tomorrow", "pause"),
        ("i'll get the rest of this done tonight", "pause"),
        # Ending this assessment to do it on paper: stop.
        ("kill the assessment, not needed", "stop"),
        ("i'll just do a paper one", "stop"),
        # Leaving after a meeting, asking for other words: the request is help, not a pause.
        ("out of a meeting and lost, put it another way", "help"),
        # A fresh start is starting again, even with an earlier answer called wrong.
        ("fresh start please, all my answers were wrong", "start_again"),
        # The question that came before: back.
        ("show me the one that came before this one", "back"),
        ("miss this one out for me", "skip"),
        # What the section is meant to hold: help.
        ("what is this section meant to capture", "help"),
        # Punctuation spoken into dictation is no stop.
        ("what does this question mean full stop", "help"),
    ],
)
def test_each_kind_reaches_its_control(text: str, control: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "passes notes in class instead of listening",  # notes, but none on the question
        "his sentences have got shorter and flatter",  # shorter, no words asked for
        "things make more sense at home now",  # sense made, no wording asked for
        "the paper one was sent to the wrong office",  # a paper form, no ending
        "we finish the rest of the course in spring",  # the rest of something else
        "a full stop after every word in her texts",  # dictated punctuation, nothing to end
    ],
)
def test_ordinary_twins_match_no_family(text: str) -> None:
    assert load_families().control_for(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "mum said 9 but dad said 10",  # values others gave: an account
        "i said 3 times but he never listened",  # one number only
        "i said no but he did it anyway",  # one answer only
        "i put 2 bags in his locker but only 1 came back",  # something else put, not an answer
    ],
)
def test_ordinary_twins_are_no_value_swap(bank: QuestionBank, text: str) -> None:
    assert not swaps_a_value(text)
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.97, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("the trouble came before the move in may", "inform"),  # "came before" told of, not asked
        ("they had a fresh start at the new club", "inform"),
    ],
)
def test_ordinary_twins_at_free_text_are_stored(bank: QuestionBank, text: str, intent: str) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, intent, 0.9, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("not confident either way", True),
        ("honestly couldn't give you an answer", True),
        ("i don't have a clue on that one", True),
        ("not confident in maths", False),  # an answer about confidence
        ("couldn't give you an answer without the file, skip", False),  # asks for a skip
    ],
)
def test_more_ways_of_not_knowing(text: str, unsure: bool) -> None:
    assert is_unsure(match_key(text)) is unsure


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("no idea, miss this one out", False),  # a skip asked for
        ("no idea, miss said she went home early", True),  # "miss" the teacher: the reason
    ],
)
def test_missing_a_question_out_is_no_reason_for_not_knowing(text: str, unsure: bool) -> None:
    assert opens_unsure(text) is unsure
