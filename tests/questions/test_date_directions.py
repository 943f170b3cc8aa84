"""Each date question's direction (`date_range`): past, future and any; a weekday that disagrees with its
date; and that nothing typed at a date question is ever turned into a skipped or empty answer."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions import AnswerProblem, ParsedAnswer, QuestionBank, bank_from_text, parse_answer
from bot.questions.dates import DateReading, read_date, read_date_detail
from tests.fixtures.hypothesis_lanes import examples
from tests.questions.questions_helpers import bank_yaml, question, section

# A Friday. 10 December 2025 was a Wednesday; the coming 10 December (2026) is a Thursday, and 11 December
# 2026 is a Friday.
TODAY = date(2025, 12, 12)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return bank_from_text(
        bank_yaml(
            section(
                "s",
                question("happened", "date", date_range="past"),
                question("coming", "date", date_range="future"),
                question("either", "date", date_range="any"),
            )
        )
    )


def day(year: int, month: int, d: int) -> DateReading:
    return DateReading(date(year, month, d), "day")


def month(year: int, month: int) -> DateReading:
    return DateReading(date(year, month, 1), "month")


@pytest.mark.parametrize(
    ("prefer", "text", "expected"),
    [
        # future: the coming one, this year or next, never a past date
        ("future", "next Thursday", day(2025, 12, 18)),
        ("future", "Thursday", day(2025, 12, 18)),
        ("future", "on Thursday", day(2025, 12, 18)),
        ("future", "this Thursday", day(2025, 12, 18)),
        ("future", "Thursday 10 December", day(2026, 12, 10)),
        ("future", "10 December", day(2026, 12, 10)),
        ("future", "10/12", day(2026, 12, 10)),
        ("future", "12 December", day(2025, 12, 12)),
        ("future", "March", month(2026, 3)),
        ("future", "tomorrow", day(2025, 12, 13)),
        # past: the most recent one
        ("past", "last Thursday", day(2025, 12, 11)),
        ("past", "Thursday", day(2025, 12, 11)),
        ("past", "this Thursday", day(2025, 12, 11)),
        ("past", "10 December", day(2025, 12, 10)),
        ("past", "10/12", day(2025, 12, 10)),
        ("past", "Wednesday 10 December", day(2025, 12, 10)),
        ("past", "Thursday 11 December", day(2025, 12, 11)),
        ("past", "March", month(2025, 3)),
        # any: a phrase that names its direction keeps it; otherwise the nearest, the coming one on a tie
        ("any", "next Thursday", day(2025, 12, 18)),
        ("any", "last Thursday", day(2025, 12, 11)),
        ("any", "this Thursday", day(2025, 12, 18)),
        ("any", "Thursday", day(2025, 12, 11)),
        ("any", "Monday", day(2025, 12, 15)),
        ("any", "Friday", day(2025, 12, 19)),
        ("any", "10 December", day(2025, 12, 10)),
        ("any", "20 December", day(2025, 12, 20)),
        ("any", "10/06", day(2026, 6, 10)),
        ("any", "1 July", day(2025, 7, 1)),
        ("any", "March", month(2026, 3)),
        ("any", "June", month(2026, 6)),
        ("any", "September", month(2025, 9)),
        ("any", "3 weeks ago", day(2025, 11, 21)),
        ("any", "in 2 weeks", day(2025, 12, 26)),
    ],
)
def test_each_direction(prefer: str, text: str, expected: DateReading) -> None:
    assert read_date_detail(text, today=TODAY, prefer=prefer) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("prefer", "text", "written"),
    [
        ("future", "Thursday 11 December", 3),  # 11 December 2026 is a Friday
        ("any", "Thursday 10 December", 3),  # the nearest 10 December (2025) was a Wednesday
        ("past", "Thursday 10 December", 3),
        ("past", "Friday 3/4/2024", 4),  # a Wednesday
        ("future", "Mon, 10th of December 2026", 0),
    ],
)
def test_a_weekday_that_disagrees_with_its_date_is_not_a_reading(
    prefer: str, text: str, written: int
) -> None:
    reading = read_date_detail(text, today=TODAY, prefer=prefer)  # type: ignore[arg-type]
    assert reading is not None and reading.weekday_mismatch == written
    assert read_date(text, today=TODAY, prefer=prefer) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("qid", "text", "value"),
    [
        ("coming", "next Thursday", "2025-12-18"),
        ("coming", "Thursday 10 December", "2026-12-10"),
        ("coming", "10/12", "2026-12-10"),
        ("happened", "last Thursday", "2025-12-11"),
        ("happened", "10 December", "2025-12-10"),
        ("either", "next Thursday", "2025-12-18"),
        ("either", "last Thursday", "2025-12-11"),
    ],
)
def test_answers_by_direction(bank: QuestionBank, qid: str, text: str, value: str) -> None:
    assert parse_answer(bank.question(qid), text, today=TODAY) == ParsedAnswer(
        value, "answered", date.fromisoformat(value)
    )


@pytest.mark.parametrize(
    ("qid", "text", "says"),
    [
        ("coming", "Thursday 11 December", "11 December 2026 is a Friday, not a Thursday"),
        ("either", "Thursday 10 December", "10 December 2025 is a Wednesday, not a Thursday"),
        ("coming", "last Thursday", "already passed"),
        ("happened", "next Thursday", "after today"),
        ("coming", "sometime next term", "Try 'next Thursday'"),
        ("happened", "in the holidays", "Try 'March 2024'"),
    ],
)
def test_refusals_say_what_would_work(bank: QuestionBank, qid: str, text: str, says: str) -> None:
    result = parse_answer(bank.question(qid), text, today=TODAY)
    assert isinstance(result, AnswerProblem) and says in result.message, result


@pytest.mark.parametrize("qid", ["happened", "coming", "either"])
@pytest.mark.parametrize(
    "text", ["not sure when, sometime last spring", "Don't know exactly - around Easter?", "no idea, ask mum"]
)
def test_not_sure_with_more_words_is_an_unsure_answer(bank: QuestionBank, qid: str, text: str) -> None:
    # The caller stores the text as typed beside status "unsure"; no date is made up for it.
    assert parse_answer(bank.question(qid), text, today=TODAY) == ParsedAnswer(None, "unsure")


DATE_WORDS = [
    "next", "last", "this", "thursday", "thu", "10", "11", "december", "dec", "/", "12", "not", "sure",
    "when", "sometime", "spring", "skip", "on", "the", "2026", "ago", "weeks", "in", ",", "tomorrow",
]  # fmt: skip


@settings(deadline=None, max_examples=examples(400))
@given(
    qid=st.sampled_from(["happened", "coming", "either"]),
    text=st.one_of(
        st.text(min_size=1, max_size=80),
        st.lists(st.sampled_from(DATE_WORDS), min_size=1, max_size=6).map(" ".join),
    ),
    today=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_nothing_typed_becomes_skipped_or_empty(bank: QuestionBank, qid: str, text: str, today: date) -> None:
    result = parse_answer(bank.question(qid), text, today=today)
    if isinstance(result, AnswerProblem):
        assert result.message.strip()
        return
    assert result.status in ("answered", "unsure")
    if result.status == "answered":
        assert isinstance(result.value, str) and result.value and result.fact_date is not None
    else:
        assert result.value is None and result.fact_date is None
