"""Not sure in people's words, an earlier answer put right as "X not Y", and a request run on with its
reason (issue #11): each kind with a sentence that reaches it and an ordinary twin that must stay an answer.
Examples are written for this test, not taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.dialogue.value_swaps import swaps_a_value
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from bot.questions.answers import AnswerProblem, parse_answer
from tests.dialogue.records import record

TODAY = date(2026, 12, 6)
FREE_TEXT = "concern_summary"
CHOICE = "discussed_with_lead"  # Yes / Not yet / I tried but couldn't reach them / Not sure
DATE = "first_noticed_date"


def status(bank: QuestionBank, question_id: str, text: str) -> str:
    parsed = parse_answer(bank.question(question_id), text, today=TODAY)
    return "refused" if isinstance(parsed, AnswerProblem) else parsed.status


@pytest.mark.parametrize(
    "text",
    [
        "I'd only be guessing",
        "would have to guess tbh",
        "couldn't tell you off the top of my head",
        "that one beats me",
        "not something I know about",
        "don't rly know",
        "haven't the faintest",
        "honestly i don't know that one",
    ],
)
@pytest.mark.parametrize("question_id", [CHOICE, DATE, FREE_TEXT])
def test_not_sure_in_peoples_words_is_the_answer_not_sure(
    bank: QuestionBank, question_id: str, text: str
) -> None:
    assert status(bank, question_id, text) == "unsure"


@pytest.mark.parametrize(
    "text",
    [
        "not sure, would need to ask her tutor",
        "no idea, nobody at school has said",
        "dunno - only met them once",
    ],
)
def test_not_sure_with_its_reason_at_free_text_is_not_sure_with_the_words_kept(
    bank: QuestionBank, text: str
) -> None:
    assert status(bank, FREE_TEXT, text) == "unsure"


@pytest.mark.parametrize(
    "text",
    [
        "she's not sure about school",  # someone else's uncertainty is an account
        "not sure, but she has been much quieter since may",  # hedged, then the answer
        "mum couldn't tell me where he goes",
        "he'd be guessing at the answers in class",
    ],
)
def test_answer_twins_stay_answers_at_free_text(bank: QuestionBank, text: str) -> None:
    assert status(bank, FREE_TEXT, text) == "answered"


@pytest.mark.parametrize(
    "text",
    [
        "it was november not december",
        "age 12 not 13",
        "she's in year 8 not 9",
        "year 10 not year 11",
        "the 4th not the 6th",
        "yes not no on that one",
        "wednesday not friday",
        # "I gave X, but it is Y": the writer's own earlier answer, then the value it should have been.
        "i put yes last time but it should be no",
        "i gave 11 before but actually she's 12",
        "i typed march earlier but really it was april",
    ],
)
def test_x_not_y_or_x_but_y_changes_an_earlier_answer(bank: QuestionBank, text: str) -> None:
    assert swaps_a_value(text)
    # Read surely as an answer by the classifier, it is still the request to change an earlier one.
    at_choice = read_reply(bank, record(AtQuestion(CHOICE)), text, "inform", 0.97, today=TODAY)
    at_free_text = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.97, today=TODAY)

    assert (at_choice.kind, at_choice.control) == ("control", "back")
    assert (at_free_text.kind, at_free_text.control) == ("clarify", "back")


@pytest.mark.parametrize(
    "text",
    [
        "quiet not loud any more",  # no values of one kind
        "she may not come to the review",  # "may" the word, not the month
        "goes on monday not every day",
        "not 15 yet",
    ],
)
def test_ordinary_twins_are_no_value_swap(bank: QuestionBank, text: str) -> None:
    assert not swaps_a_value(text)
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.97, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


def test_a_change_that_names_not_sure_as_the_old_answer_is_back(bank: QuestionBank) -> None:
    # "not sure" names the answer being changed: the request is to change it, not the answer "not sure".
    text = "i chose not sure before but i know now, can i update that answer"
    reading = read_reply(bank, record(AtQuestion(CHOICE)), text, "go_back", 0.99, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "back")


def test_plain_not_sure_at_a_choice_question_is_still_the_answer(bank: QuestionBank) -> None:
    reading = read_reply(bank, record(AtQuestion(CHOICE)), "honestly not sure", "go_back", 0.6, today=TODAY)

    assert reading.kind == "answer"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "expected"),
    [
        # A request with its reason past sixteen words: a control first, a cue in the words.
        (
            "so sorry, somebody has just come into the office so i will need to come back to this later",
            "pause",
            0.6,
            ("clarify", "pause"),
        ),
        # The same length, the classifier unsure: an account as given.
        (
            "so sorry, somebody has just come into the office so i will need to come back to this later",
            "pause",
            0.45,
            ("answer", None),
        ),
        # Sure of a control, but no word of it: an account.
        (
            "the youth club closed early on tuesday and the minibus dropped everyone off at the usual corner",
            "stop",
            0.99,
            ("answer", None),
        ),
    ],
)
def test_a_request_with_its_reason_is_asked_about_only_when_sure_and_cued(
    bank: QuestionBank, text: str, intent: str, confidence: float, expected: tuple[str, str | None]
) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, intent, confidence, today=TODAY)

    assert (reading.kind, reading.control) == expected


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("should've put no for that", "back"),
        ("what goes in this box", "help"),
        ("on to the following question", "skip"),
        # Names someone, so a pause's family is not read; and coming back is no going back.
        ("her mum rang so i need to pause this and come back later", None),
    ],
)
def test_more_family_kinds(text: str, control: str | None) -> None:
    assert load_families().control_for(text) == control
