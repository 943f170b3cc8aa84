"""Control kinds in shapes rather than phrases (issue #11): a word of plainness with a noun of wording, a
question about what form the answer takes with its choice spelt out, an answer of the writer's own turned
"but actually", a verb of starting with the whole thing and "again", a stop "for a bit" with a time to come
back, and help asked for in other words beside a "not clear". Each with an ordinary twin that must stay an
answer. Examples are written for this test, not taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from bot.questions.phrases import is_unsure, match_key
from tests.dialogue.records import record

TODAY = date(2026, 12, 8)
FREE_TEXT = "concern_summary"
YES_NO = "is_a_change"


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # Plainness and wording, however far apart: help.
        ("any chance of it in simpler terms", "help"),
        ("clearer wording would help me here", "help"),
        ("say that in everyday classroom language", "help"),
        ("can you word that clearer", "help"),
        ("could you phrase it more simply", "help"),
        # What form the answer takes, with the choice spelt out: help.
        ("should i include names or leave them out", "help"),
        ("do you want a date or roughly when", "help"),
        ("is it looking for examples or a summary", "help"),
        # An answer of the writer's own turned on second thoughts: back.
        ("i put yes for the first one but actually it is no", "back"),
        ("on second thoughts what i answered for school attendance is off", "back"),
        ("can i edit what i wrote about the home visit", "back"),
        # Starting the whole thing over: start again.
        ("begin the assessment again from the top please", "start_again"),
        ("redo this form over", "start_again"),
        # A stop for a while, or a time to come back: a pause.
        ("stopping for a while, phone call", "pause"),
        ("back after my meeting", "pause"),
    ],
)
def test_each_shape_reaches_its_control(text: str, control: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "she used different words for it at home",  # someone's words, told of
        "they are on good terms with the neighbours",  # terms of a relationship
        "dad and grandad had harsh words at the door",  # words between people
        "the club offers football or netball after school",  # a choice told, not asked
        "we will start the new term again in january",  # a term that starts, with a month
    ],
)
def test_ordinary_twins_match_no_new_family(text: str) -> None:
    assert load_families().control_for(text) is None


def test_answering_well_asks_why_not_to_go_back() -> None:
    assert load_families().control_for("what is this for, i want to answer it properly") == "help"


@pytest.mark.parametrize(
    "text",
    [
        "she used different words for it at home",
        "they are on good terms with the neighbours",
        "the club offers football or netball after school",
    ],
)
def test_ordinary_twins_at_free_text_are_stored(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.9, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


def test_other_words_beside_not_clear_is_help_at_a_yes_no_question(bank: QuestionBank) -> None:
    text = "went over it twice and still not clear, other words please"
    reading = read_reply(bank, record(AtQuestion(YES_NO)), text, "help", 0.9, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "help")


def test_not_clear_alone_stays_not_sure_at_a_yes_no_question(bank: QuestionBank) -> None:
    reading = read_reply(bank, record(AtQuestion(YES_NO)), "unclear for now", "help", 0.7, today=TODAY)

    assert reading.kind == "answer"


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("honestly not the best one to ask", True),  # someone better placed
        ("i am not knowing", True),  # not knowing, said another way
        ("not knowing her family, i can only guess", False),  # an account that goes on
    ],
)
def test_not_sure_said_as_not_the_one_to_know(text: str, unsure: bool) -> None:
    assert is_unsure(match_key(text)) is unsure


def test_not_sure_beside_what_the_question_wants_is_help_at_a_date_question(bank: QuestionBank) -> None:
    text = "not sure i follow, what does this question want from me"
    reading = read_reply(bank, record(AtQuestion("first_noticed_date")), text, "help", 0.9, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "help")
