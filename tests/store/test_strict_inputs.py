"""The service inputs check themselves when built, in Python or from JSON, with one message per field."""

from __future__ import annotations

from datetime import date

import pydantic
import pytest

from bot.domain.errors import ValidationError
from bot.domain.records import AnswerIn, TurnIn, UrgentDetailIn

FIELDS = {
    "question_id": "q1",
    "revision": 1,
    "wording": "W",
    "text": "t",
    "value": None,
    "status": "answered",
}


def test_fields_are_given_by_name_only() -> None:
    assert AnswerIn(**FIELDS) == AnswerIn(**dict(reversed(FIELDS.items())))
    with pytest.raises(TypeError):
        AnswerIn("q1", 1, "W", "t", None, "answered")  # type: ignore[misc]


def test_nothing_is_coerced() -> None:
    with pytest.raises(ValidationError) as caught:
        AnswerIn(**{**FIELDS, "revision": "1", "text": 5, "status": None})
    assert caught.value.fields == {
        "revision": "must be a whole number, 1 or more",
        "text": "must be text, not a number",
        "status": "must be text, not null",
    }


def test_a_date_is_text_only_in_json() -> None:
    with pytest.raises(ValidationError) as caught:
        AnswerIn(**{**FIELDS, "fact_date": "2026-02-27"})
    assert caught.value.fields == {"fact_date": "must be a date"}
    turn = TurnIn.from_json({"answer": {**FIELDS, "fact_date": "2026-02-27"}})
    assert turn.answer is not None and turn.answer.fact_date == date(2026, 2, 27)


def test_nested_problems_are_named_with_their_parent_and_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        TurnIn.from_json(
            {
                "answer": {**FIELDS, "fact_date": "2026-02-30", "colour": "red"},
                "urgent_detail": {"question_id": "happening_now", "wording": "W", "text": ""},
                "submit": "yes",
            }
        )
    assert caught.value.fields == {
        "answer.fact_date": "2026-02-30 is not a real date",
        "answer.colour": "is not a field this request accepts",
        "urgent_detail.text": "must not be empty",
        "submit": "must be true or false, not text",
    }


def test_an_input_cannot_be_changed_once_built() -> None:
    detail = UrgentDetailIn(
        question_id="happening_now", wording="What is happening now?", text="In the car park"
    )
    with pytest.raises(pydantic.ValidationError):
        detail.text = "something else"  # type: ignore[misc]
