"""A time already past is an answer about when, never "go back" (issue #11). Found by a newcomer's walk with
`bot shell`: at "Have you already talked this through with your safeguarding lead?" the reply "last week" sent
them back a question, because the classifier, hearing "last", read it as go_back (0.56 on the trained model).
At a choice question it is now refused like any other reply the options cannot read ("Please answer ...");
at a free-text question it is never taken as a control (stored, or asked about as any short
control-like message is); real controls, danger and times still to come read as before.
The classifier's readings below are the ones a probe of the model gave, passed in as its output."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.at_question import names_a_past_when
from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2026, 12, 6)
CHOICE = "discussed_with_lead"
FREE_TEXT = "concern_summary"

PAST = [
    ("last week", "go_back", 0.56),
    ("a couple of weeks back", "go_back", 0.67),
    ("last friday", "go_back", 0.46),
    ("since Year 9", "go_back", 0.7),
    ("yesterday", "go_back", 0.8),
    ("3 weeks ago", "stop", 0.6),
]


@pytest.mark.parametrize(("text", "intent", "confidence"), PAST)
def test_a_past_time_at_a_choice_question_is_no_control(
    bank: QuestionBank, text: str, intent: str, confidence: float
) -> None:
    reading = read_reply(bank, record(AtQuestion(CHOICE)), text, intent, confidence, today=TODAY)

    assert reading.kind == "answer"  # which the options then refuse, asking again: nobody is moved back


@pytest.mark.parametrize(("text", "intent", "confidence"), PAST)
def test_a_past_time_at_a_free_text_question_is_never_taken_as_a_control(
    bank: QuestionBank, text: str, intent: str, confidence: float
) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, intent, confidence, today=TODAY)

    assert reading.kind in ("answer", "clarify")  # kept, or "save that as your answer?": never a move


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("go back", "go_back", ("control", "back")),
        ("back to the last one", "go_back", ("control", "back")),
        ("previous question", "go_back", ("control", "back")),
        ("pause till tomorrow", "pause", ("control", "pause")),
        ("tomorrow", "pause", ("control", "pause")),  # a time to come may mean "carry on then"
        ("next week", "pause", ("control", "pause")),
    ],
)
def test_controls_and_times_to_come_read_as_before(
    bank: QuestionBank, text: str, intent: str, expected: tuple[str, str]
) -> None:
    reading = read_reply(bank, record(AtQuestion(CHOICE)), text, intent, 0.9, today=TODAY)

    assert (reading.kind, reading.control) == expected


def test_danger_naming_a_past_day_is_still_danger(bank: QuestionBank) -> None:
    """The rule reads controls only: a danger report is never turned into an answer by a date in it."""
    text = "he said he'd stab him, he had the knife yesterday"
    reading = read_reply(bank, record(AtQuestion(CHOICE)), text, "report_danger", 0.9, today=TODAY)

    assert reading.kind == "danger"


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("last week", True),
        ("last friday", True),
        ("since Year 9", True),
        ("today", False),
        ("tonight", False),
        ("now", False),
        ("tomorrow", False),
        ("next week", False),
        ("go back", False),
        ("previous", False),
    ],
)
def test_what_counts_as_a_past_when(text: str, past: bool) -> None:
    assert names_a_past_when(text, TODAY) is past
