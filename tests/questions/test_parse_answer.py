"""parse_answer per answer type: what it accepts, what it refuses, and that refusals say what to type."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.questions import AnswerProblem, ParsedAnswer, QuestionBank, bank_from_text, parse_answer
from tests.fixtures.hypothesis_lanes import examples
from tests.questions.questions_helpers import bank_yaml, question, section

TODAY = date(2025, 3, 13)  # a Thursday

NEEDS = [
    {"value": "sexual_exploitation", "label": "Child sexual exploitation", "aliases": ["CSE"]},
    {"value": "bullying", "label": "Bullying, racism, discrimination or hate incidents"},
    {"value": "money", "label": "Poverty, housing or money worries"},
    {"value": "mental_health", "label": "Mental health needs (young person)"},
    {"value": "none", "label": "None of these"},
]
ROLES = [
    {"value": "teacher", "label": "Teacher or teaching assistant"},
    {"value": "social_worker", "label": "Social worker"},
    {"value": "safeguarding_lead", "label": "Designated safeguarding lead", "aliases": ["DSL"]},
]


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return bank_from_text(
        bank_yaml(
            section(
                "s",
                question("danger"),
                question("mode", "single_choice", allow_unsure=False),
                question("role", "single_choice", choices=ROLES),
                question("needs", "multiple_choice", choices=NEEDS, unsure_label="Not known"),
                question("story", "free_text"),
                question("age", "age"),
                question("when", "date"),
                question("deadline", "date", date_range="future"),
                question("any_date", "date", date_range="any"),
            )
        )
    )


def parse(bank: QuestionBank, qid: str, text: str) -> ParsedAnswer | AnswerProblem:
    return parse_answer(bank.question(qid), text, today=TODAY)


def answered(value: object, fact_date: date | None = None) -> ParsedAnswer:
    return ParsedAnswer(value, "answered", fact_date)


UNSURE = ParsedAnswer(None, "unsure")


@pytest.mark.parametrize(
    "text",
    ["yes", "Y", " yeah ", "Yep!", "YES.", "aye", "1", "Yes, twice last week", "yes he did", "definitely"],
)
def test_yes(bank: QuestionBank, text: str) -> None:
    assert parse(bank, "danger", text) == answered("yes")


@pytest.mark.parametrize(
    "text", ["no", "N", "nope", "Nah.", "no - he hasn't", "not that I know of", "2", "none"]
)
def test_no(bank: QuestionBank, text: str) -> None:
    assert parse(bank, "danger", text) == answered("no")


@pytest.mark.parametrize(
    "text",
    ["not sure", "Unsure", "dunno", "don't know", "Don’t know.", "dont know", "IDK", "n/a", "N/A", "no idea",
     "maybe", "3", "unsure"],
)  # fmt: skip
def test_not_sure_on_yes_no(bank: QuestionBank, text: str) -> None:
    assert parse(bank, "danger", text) == UNSURE


@pytest.mark.parametrize("qid", ["role", "needs", "story", "age", "when", "deadline"])
def test_not_sure_on_every_type_is_recorded_as_unsure(bank: QuestionBank, qid: str) -> None:
    for text in ("not sure", "Dunno", "n/a", "don't know"):
        assert parse(bank, qid, text) == UNSURE


@pytest.mark.parametrize(
    "text",
    ["I'm not certain", "honestly, can't say for sure", "no idea sorry", "not 100% sure tbh",
     "haven't got a clue", "um I really don't know at this stage", "cant remember",
     # Round two: blunt, British, texted, with words inside the phrase.
     "i genuinely don't know tbh", "wouldn't have a clue sorry", "not a scooby mate", "couldn't tell ya",
     "not too sure about this one", "i'm not sure on that one", "can't answer that, no idea", "dunno yet",
     "i honestly have no idea", "don't know offhand",
     # Round three: a hedge word before it.
     "perhaps, not sure", "maybe... no idea", "probably don't know tbh", "i guess not certain"],
)  # fmt: skip
def test_not_sure_in_other_words_is_unsure_on_every_type(bank: QuestionBank, text: str) -> None:
    for qid in ("role", "needs", "story", "age", "when", "danger"):
        assert parse(bank, qid, text) == UNSURE


@pytest.mark.parametrize(
    "text",
    ["he is not sure", "not sure he meant it", "sorry", "really", "he honestly didn't know what to do",
     "she actually knows the family", "i just know he's scared"],
)  # fmt: skip
def test_words_around_not_sure_do_not_make_an_account_unsure(bank: QuestionBank, text: str) -> None:
    assert parse(bank, "story", text) != UNSURE


def test_not_known_label_of_the_unsure_option_is_unsure(bank: QuestionBank) -> None:
    assert parse(bank, "needs", "Not known") == UNSURE
    assert parse(bank, "needs", "6") == UNSURE


def test_yes_no_refusal_says_what_to_type(bank: QuestionBank) -> None:
    result = parse(bank, "danger", "the weather")
    assert isinstance(result, AnswerProblem) and "yes, no or not sure" in result.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("teacher", "teacher"),
        ("Teacher or teaching assistant", "teacher"),
        ("teacher or teaching assistant.", "teacher"),
        ("2", "social_worker"),
        ("option 3", "safeguarding_lead"),
        ("dsl", "safeguarding_lead"),
        ("social_worker", "social_worker"),
        ("  Social   Worker ", "social_worker"),
    ],
)
def test_single_choice_by_value_label_alias_or_number(bank: QuestionBank, text: str, value: str) -> None:
    assert parse(bank, "role", text) == answered(value)


def test_single_choice_refusals(bank: QuestionBank) -> None:
    several = parse(bank, "role", "1 and 2")
    assert isinstance(several, AnswerProblem) and "just one" in several.message
    unknown = parse(bank, "role", "astronaut")
    assert isinstance(unknown, AnswerProblem)
    assert "1 Teacher or teaching assistant; 2 Social worker" in unknown.message
    assert isinstance(parse(bank, "role", "9"), AnswerProblem)


def test_a_question_without_unsure_refuses_not_sure(bank: QuestionBank) -> None:
    result = parse(bank, "mode", "not sure")
    assert isinstance(result, AnswerProblem) and "1 Alpha; 2 Beta" in result.message
    assert parse(bank, "mode", "beta") == answered("beta")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("cse", ["sexual_exploitation"]),
        ("1, 3 and 4", ["sexual_exploitation", "money", "mental_health"]),
        ("4,1", ["sexual_exploitation", "mental_health"]),
        ("Bullying, racism, discrimination or hate incidents", ["bullying"]),
        ("CSE and Bullying, racism, discrimination or hate incidents", ["sexual_exploitation", "bullying"]),
        ("poverty, housing or money worries; 1", ["sexual_exploitation", "money"]),
        ("2 & 2", ["bullying"]),
        ("all of the above", ["sexual_exploitation", "bullying", "money", "mental_health"]),
        ("None of these", ["none"]),
        ("money\nbullying", ["bullying", "money"]),
        ("1, 2,", ["sexual_exploitation", "bullying"]),
    ],
)
def test_multiple_choice_lists(bank: QuestionBank, text: str, values: list[str]) -> None:
    assert parse(bank, "needs", text) == answered(values)


def test_multiple_choice_refusals_name_the_part_not_understood(bank: QuestionBank) -> None:
    result = parse(bank, "needs", "cse and astrology")
    assert (
        isinstance(result, AnswerProblem) and "'astrology'" in result.message and "'1, 3'" in result.message
    )
    mixed = parse(bank, "needs", "1 and none of these")
    assert isinstance(mixed, AnswerProblem) and "can't be combined" in mixed.message
    unsure_too = parse(bank, "needs", "1 and not known")
    assert isinstance(unsure_too, AnswerProblem) and "'Not known'" in unsure_too.message


@pytest.mark.parametrize(
    "text",
    [
        "He said: 'they deserve it'  ",
        "  leading spaces\n\nand blank lines\n",
        "n/a is what he wrote",
        "😀",
        "x",
    ],
)
def test_free_text_is_kept_exactly(bank: QuestionBank, text: str) -> None:
    assert parse(bank, "story", text) == answered(text)


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_answers_are_problems(bank: QuestionBank, text: str) -> None:
    for qid in ("story", "danger", "needs", "age", "when"):
        result = parse(bank, qid, text)
        assert isinstance(result, AnswerProblem) and "not sure" in result.message


def test_answers_over_the_limit_are_refused_whole(bank: QuestionBank) -> None:
    assert parse(bank, "story", "x" * MAX_ANSWER_CHARS) == answered("x" * MAX_ANSWER_CHARS)
    result = parse(bank, "story", "x" * (MAX_ANSWER_CHARS + 1))
    assert isinstance(result, AnswerProblem) and "10,000" in result.message


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("14", 14),
        ("14 years old", 14),
        ("14yo", 14),
        ("14 y/o", 14),
        ("aged 14", 14),
        ("about 14", 14),
        ("fourteen", 14),
        ("Fourteen years", 14),
        ("twenty-one", 21),
        ("0", 0),
        ("25", 25),
        ("14 and a half", 14),
    ],
)
def test_ages(bank: QuestionBank, text: str, age: int) -> None:
    assert parse(bank, "age", text) == answered(age)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("yr 9", "school year group"),
        ("Year 9", "school year group"),
        ("y10", "school year group"),
        ("reception", "school year group"),
        ("26", "between 0 and 25"),
        ("140", "between 0 and 25"),
        ("18 months", "whole years"),
        ("14-15", "one age"),
        ("-3", "one age"),
        ("03/04/2010", "rather than a date"),
        ("teenager", "for example '14'"),
    ],
)
def test_age_refusals(bank: QuestionBank, text: str, hint: str) -> None:
    result = parse(bank, "age", text)
    assert isinstance(result, AnswerProblem) and hint in result.message, result


@pytest.mark.parametrize(
    ("text", "value", "fact_date"),
    [
        ("03/04/24", "2024-04-03", date(2024, 4, 3)),
        ("March 2024", "2024-03", date(2024, 3, 1)),
        ("2023", "2023", date(2023, 1, 1)),
        ("last Tuesday", "2025-03-11", date(2025, 3, 11)),
        ("today", "2025-03-13", TODAY),
        ("this month", "2025-03", date(2025, 3, 1)),
    ],
)
def test_dates(bank: QuestionBank, text: str, value: str, fact_date: date) -> None:
    assert parse(bank, "when", text) == answered(value, fact_date)


def test_date_refusals(bank: QuestionBank) -> None:
    unreadable = parse(bank, "when", "in the summer holidays")
    assert unreadable == AnswerProblem(
        "I couldn't read that as a date. Try 'March 2024', 'last Tuesday' or '03/04/2024', or say 'not sure'."
    )
    future = parse(bank, "when", "tomorrow")
    assert isinstance(future, AnswerProblem) and "after today (13 March 2025)" in future.message
    assert isinstance(parse(bank, "when", "April 2025"), AnswerProblem)
    month_first = parse(bank, "when", "04/13/2024")
    assert isinstance(month_first, AnswerProblem) and "Did you mean 13/04/2024" in month_first.message


def test_future_and_any_date_ranges(bank: QuestionBank) -> None:
    assert parse(bank, "deadline", "3 April") == answered("2025-04-03", date(2025, 4, 3))
    assert parse(bank, "deadline", "next Friday") == answered("2025-03-14", date(2025, 3, 14))
    assert parse(bank, "deadline", "this month") == answered("2025-03", date(2025, 3, 1))
    past = parse(bank, "deadline", "03/04/2024")
    assert isinstance(past, AnswerProblem) and "already passed" in past.message
    assert parse(bank, "any_date", "03/04/2030") == answered("2030-04-03", date(2030, 4, 3))
    assert parse(bank, "any_date", "03/04/2020") == answered("2020-04-03", date(2020, 4, 3))


ANSWER_WORDS = [
    "yes", "no", "not", "sure", "1", "2", "and", ",", "none", "of", "these", "cse", "year", "9", "14",
    "years", "old", "march", "2024", "/", "last", "tuesday", "²", "١٤", "all", "option",
]  # fmt: skip


@settings(deadline=None, max_examples=examples(300))
@given(
    qid=st.sampled_from(["danger", "mode", "role", "needs", "story", "age", "when", "deadline", "any_date"]),
    text=st.one_of(st.text(max_size=80), st.lists(st.sampled_from(ANSWER_WORDS), max_size=8).map(" ".join)),
)
def test_any_text_gives_an_answer_or_a_problem(bank: QuestionBank, qid: str, text: str) -> None:
    result = parse(bank, qid, text)
    assert isinstance(result, ParsedAnswer | AnswerProblem)
    if isinstance(result, AnswerProblem):
        assert result.message
    elif qid == "story" and result.status == "answered":
        assert result.value == text
