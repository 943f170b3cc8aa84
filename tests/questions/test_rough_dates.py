"""Rough dates for "when" (bot.questions.rough_dates, issue #18): a table of examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.questions.answers import AnswerProblem, ParsedAnswer, parse_answer
from bot.questions.evidence import WHEN_SUFFIX
from bot.questions.loader import load_bank
from bot.questions.rough_dates import RoughDate, read_rough_date

TODAY = date(2026, 12, 6)

EXAMPLES = [
    # typed, age, earliest, latest
    ("12 March 2024", None, date(2024, 3, 12), date(2024, 3, 12)),
    ("March 2024", None, date(2024, 3, 1), date(2024, 3, 31)),
    ("since March 2024", None, date(2024, 3, 1), TODAY),
    ("2025", None, date(2025, 1, 1), date(2025, 12, 31)),
    ("summer 2025", None, date(2025, 6, 1), date(2025, 8, 31)),
    ("winter 2024", None, date(2024, 12, 1), date(2025, 2, 28)),
    ("last summer", None, date(2026, 6, 1), date(2026, 8, 31)),
    ("this autumn", None, date(2026, 9, 1), date(2026, 11, 30)),
    ("winter", None, date(2026, 12, 1), TODAY),  # the winter under way: up to today only
    ("last winter", None, date(2025, 12, 1), date(2026, 2, 28)),
    ("3 weeks ago", None, date(2026, 11, 15), date(2026, 11, 15)),
    # 15 today: in Year 10 or 11, so Year 9 began in September 2024 or 2025.
    ("since Year 9", 15, date(2024, 9, 1), TODAY),
    ("in Year 9", 15, date(2024, 9, 1), date(2026, 8, 31)),
    ("since Year 9", None, None, None),  # no age: kept as typed, no range
    ("don't know", None, None, None),
    ("Don’t know", None, None, None),
]


@pytest.mark.parametrize(("typed", "age", "earliest", "latest"), EXAMPLES)
def test_examples(typed: str, age: int | None, earliest: date | None, latest: date | None) -> None:
    assert read_rough_date(typed, today=TODAY, age=age) == RoughDate(typed, earliest, latest)


@pytest.mark.parametrize("typed", ["banana", "next summer", "10 March 2027", "since Year 12", "Year 0"])
def test_what_is_not_a_date_up_to_today_is_not_read(typed: str) -> None:
    assert read_rough_date(typed, today=TODAY, age=15) is None


@given(
    today=st.dates(date(2000, 1, 1), date(2090, 12, 31)),
    back=st.integers(0, 3650),
    form=st.sampled_from(["%d %B %Y", "%B %Y", "%Y", "since %B %Y", "%d/%m/%Y"]),
)
def test_a_past_date_is_read_as_typed_with_a_range_around_it(today: date, back: int, form: str) -> None:
    day = today - timedelta(days=back)
    typed = day.strftime(form)
    reading = read_rough_date(typed, today=today)
    assert reading is not None and reading.as_typed == typed
    assert reading.earliest is not None and reading.latest is not None
    assert reading.earliest <= day <= reading.latest <= today


@given(
    text=st.text(max_size=60),
    today=st.dates(date(2000, 1, 1), date(2090, 12, 31)),
    age=st.none() | st.integers(4, 25),
)
def test_any_text_gives_none_or_a_range_in_order_never_after_today(
    text: str, today: date, age: int | None
) -> None:
    reading = read_rough_date(text, today=today, age=age)
    if reading is not None:
        assert reading.as_typed == text
        assert (reading.earliest is None) == (reading.latest is None)
        if reading.earliest is not None and reading.latest is not None:
            assert reading.earliest <= reading.latest <= today


def test_the_when_question_keeps_the_words_and_asks_again_with_an_example() -> None:
    question = load_bank().question("weapons_or_materials" + WHEN_SUFFIX)
    parsed = parse_answer(question, "since Year 9", today=TODAY, age=15)
    assert parsed == ParsedAnswer(
        {"as_typed": "since Year 9", "earliest": "2024-09-01", "latest": "2026-12-06"},
        "answered",
        date(2024, 9, 1),
    )
    problem = parse_answer(question, "the thing", today=TODAY)
    assert isinstance(problem, AnswerProblem) and "'March 2024'" in problem.message
    assert parse_answer(question, "not sure", today=TODAY) == ParsedAnswer(None, "unsure")
