"""Kinds of skip, "not sure" and help that the fresh held-out set showed the reading missing (issue #11,
helper h3), one phrase of each written for this test, apart from the training data and the held-out sets: at a
choice question each reaches its control (or the "not sure" answer) rather than "I couldn't match that"; at a
free-text question a short one is asked about and "not sure" is stored as typed."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.plans import read_reply
from bot.dialogue.reading import reads_as_skip
from bot.domain.positions import AtQuestion
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.questions.answers import AnswerProblem, ParsedAnswer, parse_answer
from bot.questions.phrases import opens_unsure
from tests.dialogue.records import record

TODAY = date(2026, 12, 6)
CHOICE = "discussed_with_lead"  # Yes / Not yet / I tried but couldn't reach them / Not sure
DATE = "first_noticed_date"
FREE_TEXT = "concern_summary"

SKIPS = {
    "with its reason": "that part isn't relevant for us, pass",
    "'then' after it": "skip it then",
    "pressing on to the next": "zip along to the next one",
    "a held-down letter": "skippp this one",
    "only if I must": "is it compulsory, if not next q",
}
UNSURES = {
    "a bit unsure": "a bit unsure tbh",
    "the answer 'to that'": "i don't know the answer to this one",
    "both ways": "may or may not, i dont know",
    "the wrong person to ask": "i'm not the right person to ask",
    "nobody has said": "nobody has said",
    "texted 'dk'": "dk",
    "no info": "no info on this",
    "with its reason": "not sure, her carer never mentioned it",
}


def _record(question_id: str) -> AssessmentRecord:
    return record(AtQuestion(question_id))


@pytest.mark.parametrize("text", SKIPS.values(), ids=SKIPS.keys())
def test_skip_kinds_are_skips_at_a_choice_question(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, _record(CHOICE), text, "skip", 0.9, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "skip")


@pytest.mark.parametrize("text", SKIPS.values(), ids=SKIPS.keys())
def test_skip_kinds_are_asked_about_at_a_free_text_question(bank: QuestionBank, text: str) -> None:
    ranking = (("skip", 0.9), ("unsure", 0.05))
    reading = read_reply(bank, _record(FREE_TEXT), text, "skip", 0.9, today=TODAY, ranking=ranking)

    assert (reading.kind, reading.control) == ("clarify", "skip")


@pytest.mark.parametrize(
    "text", ["he skipped the next lesson", "they passed her on to the next worker", "skipped breakfast again"]
)
def test_a_skip_with_a_reason_about_someone_is_no_skip(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, _record(CHOICE), text, "skip", 0.9, today=TODAY)

    assert reading.kind == "answer"
    assert not reads_as_skip(text, at_options=True)


def test_a_skip_with_a_reason_is_no_skip_where_anything_may_be_typed() -> None:
    assert not reads_as_skip("that part isn't relevant for us, pass", at_options=False)
    assert reads_as_skip("skiiiip", at_options=False)


@pytest.mark.parametrize("text", UNSURES.values(), ids=UNSURES.keys())
def test_not_sure_kinds_are_the_not_sure_answer_at_a_choice_question(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, _record(CHOICE), text, "unsure", 0.8, today=TODAY)

    assert reading.kind == "answer"
    assert parse_answer(bank.question(CHOICE), text, today=TODAY) == ParsedAnswer(None, "unsure")


@pytest.mark.parametrize("text", UNSURES.values(), ids=UNSURES.keys())
def test_not_sure_kinds_are_stored_as_typed_at_a_free_text_question(bank: QuestionBank, text: str) -> None:
    reading = read_reply(
        bank, _record(FREE_TEXT), text, "unsure", 0.8, today=TODAY, ranking=(("unsure", 0.8), ("inform", 0.1))
    )

    assert (reading.kind, reading.control) == ("answer", None)
    parsed = parse_answer(bank.question(FREE_TEXT), text, today=TODAY)
    assert isinstance(parsed, ParsedAnswer)


@pytest.mark.parametrize(
    "text",
    ["not sure, skip it", "dunno - can we go back", "not sure, why do you need this", "no idea, later"],
)
def test_not_sure_followed_by_a_request_is_no_reason(text: str) -> None:
    assert not opens_unsure(text)


def test_not_sure_with_a_reason_never_hides_a_date_the_question_can_read(bank: QuestionBank) -> None:
    parsed = parse_answer(bank.question(DATE), "not sure, maybe 3 March 2026", today=TODAY)

    assert isinstance(parsed, ParsedAnswer)


def test_a_long_reason_is_no_not_sure(bank: QuestionBank) -> None:
    text = "not sure, the family moved twice last year and the school records from before that were lost"

    assert isinstance(parse_answer(bank.question(CHOICE), text, today=TODAY), AnswerProblem)


@pytest.mark.parametrize(
    "text",
    ["why does it matter what school he went to before", "who gets to see this, and why do you need it"],
)
def test_a_longer_question_about_the_question_is_help_at_a_choice_question(
    bank: QuestionBank, text: str
) -> None:
    reading = read_reply(bank, _record(CHOICE), text, "help", 0.6, today=TODAY)

    assert (reading.kind, reading.control) == ("control", "help")


@pytest.mark.parametrize(
    ("text", "ranking", "control"),
    [
        # a question about the question that names someone, past eight words
        ("why does it matter which class he was in", (("help", 0.7), ("inform", 0.2)), "help"),
        # who sees the answer
        ("will this be shared with his parents", (("inform", 0.5), ("help", 0.3)), "help"),
        # the page or screen before
        ("can i go to the page before", (("nlu_fallback", 0.3), ("inform", 0.2), ("go_back", 0.2)), "back"),
        # ignoring the question
        ("ignore that, next", (("nlu_fallback", 0.3), ("skip", 0.25), ("inform", 0.2)), "skip"),
    ],
)
def test_new_kinds_are_asked_about_at_a_free_text_question(
    bank: QuestionBank, text: str, ranking: tuple[tuple[str, float], ...], control: str
) -> None:
    intent, confidence = ranking[0]
    reading = read_reply(bank, _record(FREE_TEXT), text, intent, confidence, today=TODAY, ranking=ranking)

    assert (reading.kind, reading.control) == ("clarify", control)


def test_an_account_of_someone_that_reads_as_help_is_still_stored_past_ten_words(bank: QuestionBank) -> None:
    text = "she asked me why she had to move to a different school again this year"
    ranking = (("help", 0.8), ("inform", 0.1))
    reading = read_reply(bank, _record(FREE_TEXT), text, "help", 0.8, today=TODAY, ranking=ranking)

    assert (reading.kind, reading.control) == ("answer", None)


def test_unclear_then_a_request_to_try_again_is_no_not_sure() -> None:
    assert not opens_unsure("not sure, try again in other words")
