"""More control kinds (issue #11): each with a control sentence and an ordinary twin that must stay an answer.
Examples are written for this test, not taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2026, 12, 6)
FREE_TEXT = "concern_summary"
CHOICE = "practitioner_role"


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # Which earlier question an answer went to: changing it, not starting again.
        ("my answer to question one was wrong", "back"),
        ("the reply to the first question is wrong", "back"),
        # A date or an age off by some amount is a mistake in an earlier answer.
        ("the date i gave is off by a fortnight", "back"),
        ("that age i put was a year out", "back"),
        # Someone replying is no going back: the reason for not knowing.
        ("need to hear back from the nurse first", None),
        ("going back to the previous one", "back"),
        # Keeping one's progress until after something: a pause.
        ("hold my progress please, back after the visit", "pause"),
        # Thanks for help already given, in closing: the request is to stop.
        ("exit now please, thank you for your help", "stop"),
        ("i need some help with this", "help"),
        # Easier words asked for: explain it another way.
        ("can you ask it with easier words", "help"),
        # Redoing the whole assessment is starting again.
        ("i want to redo the whole assessment", "start_again"),
        ("missing this one out for now, no info", "skip"),
    ],
)
def test_each_kind_reaches_its_control(text: str, control: str | None) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "the first question he asked was about money",  # no answer being changed
        "the bus timetable was off by an hour because of the strike",  # no earlier answer of ours
        "mum said she'd ring back after work",  # someone replying
        "they were missing the bus most mornings",  # no skipping
        "school work got easier after the move",  # easier is no request for easier words
    ],
)
def test_ordinary_twins_match_no_family(text: str) -> None:
    assert load_families().control_for(text) is None


def test_a_correction_naming_someone_is_asked_about_at_free_text(bank: QuestionBank) -> None:
    # Putting an earlier answer right names the person ("she's 12"): asked about, never stored silently.
    text = "the age i gave before is wrong, she is 12"
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "go_back", 0.5, today=TODAY)

    assert (reading.kind, reading.control) == ("clarify", "back")


def test_an_account_naming_someone_with_back_in_it_is_stored(bank: QuestionBank) -> None:
    text = "she went back to her dad's house on sunday night"
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "go_back", 0.5, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


def test_a_sure_answer_with_a_family_is_stored(bank: QuestionBank) -> None:
    text = "we changed the answer on the referral form before sending it"
    ranking = (("inform", 0.9), ("affirm", 0.05))  # read surely as an answer: stored
    reading = read_reply(
        bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.9, today=TODAY, ranking=ranking
    )

    assert (reading.kind, reading.control) == ("answer", None)


def test_thanks_for_help_at_a_choice_question_stops(bank: QuestionBank) -> None:
    text = "exit now please, thank you for your help"
    reading = read_reply(bank, record(AtQuestion(CHOICE)), text, "help", 0.95, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "stop")
