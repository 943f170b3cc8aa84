"""What a review of the twelfth set's control changes found (issue #11), mended: each exclusion or word
narrowed to the request it was meant for. The review's sentence stays what it is (a pause, an answer), and a
request of the kind each change was made for is still read as its control. Examples other than the review's
are written for this test, not taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from tests.dialogue.records import record

TODAY = date(2026, 12, 8)
FREE_TEXT = "concern_summary"
YES_NO = "is_a_change"


def reading_of(bank: QuestionBank, question_id: str, text: str, intent: str, confidence: float):
    ranking = ((intent, confidence), ("inform", (1 - confidence) / 2))
    reading = read_reply(
        bank, record(AtQuestion(question_id)), text, intent, confidence, today=TODAY, ranking=ranking
    )
    return reading.kind, reading.control


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # A pause said outright stays one while a reply is awaited.
        ("pause this please, im waiting to hear back from the school", "pause"),
        # A time to carry on at is still a pause.
        ("can we pick the rest up tomorrow", "pause"),
        # A time by which someone replies is no pause.
        ("waiting to hear back from the school tomorrow", None),
        ("the nurse will ring back after lunch", None),
    ],
)
def test_a_reply_awaited_excludes_only_a_time_to_carry_on(text: str, control: str | None) -> None:
    assert load_families().control_for(text) == control


def test_pause_said_outright_beside_a_reply_is_a_pause_at_a_yes_no_question(bank: QuestionBank) -> None:
    text = "pause this please, im waiting to hear back from the school"
    assert reading_of(bank, YES_NO, text, "inform", 0.4) == ("control", "pause")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Explaining told of someone: the answer "not sure", stored.
        ("not sure, she never explained it to me", ("answer", None)),
        # Explaining asked for beside a "not sure": help.
        ("not sure, can you explain what this one means", ("control", "help")),
    ],
)
def test_not_sure_beside_explaining_at_a_yes_no_question(
    bank: QuestionBank, text: str, expected: tuple[str, str | None]
) -> None:
    assert reading_of(bank, YES_NO, text, "help", 0.9) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Someone's saying turned "but actually": an account.
        ("i said she could go but actually she stayed home all weekend", ("answer", None)),
        ("previous school said it was fine but actually things got worse", ("answer", None)),
        # The writer's own recorded answer turned: a correction, asked about.
        ("i ticked no earlier but actually she has left the club now", ("clarify", "back")),
    ],
)
def test_an_answer_turned_but_actually_at_free_text(
    bank: QuestionBank, text: str, expected: tuple[str, str | None]
) -> None:
    assert reading_of(bank, FREE_TEXT, text, "inform", 0.9) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Language told of someone: an account.
        ("dad used different language at home", ("answer", None)),
        # Other words asked for in a request's form: help, asked about.
        ("could i have this in plain language", ("clarify", "help")),
        ("say that in other terms", ("clarify", "help")),
        ("what is that in everyday office terms", ("clarify", "help")),
        # Language told in an account that names the question's words too.
        ("mum said it in a different language to him", ("answer", None)),
        ("they speak in different language at home", ("answer", None)),
    ],
)
def test_terms_and_language_only_in_a_request_at_free_text(
    bank: QuestionBank, text: str, expected: tuple[str, str | None]
) -> None:
    assert reading_of(bank, FREE_TEXT, text, "inform", 0.3) == expected
