"""Every review form model checks itself when built: an unknown field and a wrong type are refused with our
ValidationError (one message per field, as a person reads it), never pydantic's own report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain.errors import ValidationError
from bot.domain.strict import TODAY as TODAY_KEY
from bot.domain.strict import UNKNOWN_FIELD, StrictModel
from bot.review import short_forms
from bot.review.document_checks import CHOICES, CheckedDocument
from bot.review.document_records import DocumentChoice
from bot.review.next_records import PathwayChoice
from bot.review.short_forms import (
    FullRequestIn,
    ReopenIn,
    ReviewDateIn,
    StandDownIn,
    UrgentResponseIn,
)

TODAY = date(2026, 3, 27)
OFFERED = (
    DocumentChoice("request_for_support", "Request for Support", PathwayChoice(7, "prevent_referral")),
)

# Each form model with fields that pass, built as its service builds it.
FORMS: dict[type[StrictModel], dict[str, Any]] = {
    UrgentResponseIn: {"response": "Phoned the school's DSL; police informed."},
    StandDownIn: {"stand_down_reason": "The DSL confirmed it was a film plot."},
    ReopenIn: {"reason": "New information from the school."},
    FullRequestIn: {"message": ""},
    ReviewDateIn: {"review_on": "27/4/2026"},
    CheckedDocument: {
        "pathway": "7",
        "method": "secure_email",
        "lawful_basis": "art6_public_task",
        "child_name": "",
        "address": "",
        "school": "",
        "carers": "",
        "date_of_birth": "",
        "left_out": (),
    },
}


def build(model: type[StrictModel], fields: dict[str, Any]) -> StrictModel:
    """As the services build them: with the day they are read on and what the case offers."""
    return model.read(fields, {TODAY_KEY: TODAY, CHOICES: OFFERED})


@pytest.mark.parametrize("model", list(FORMS), ids=lambda m: m.__name__)
def test_a_form_as_posted_is_built(model: type[StrictModel]) -> None:
    built = build(model, FORMS[model])
    assert set(type(built).model_fields) == set(FORMS[model])


@pytest.mark.parametrize("model", list(FORMS), ids=lambda m: m.__name__)
def test_an_unknown_field_is_refused(model: type[StrictModel]) -> None:
    with pytest.raises(ValidationError) as refused:
        build(model, {**FORMS[model], "score": "high"})
    assert refused.value.fields == {"score": UNKNOWN_FIELD}


@pytest.mark.parametrize("model", list(FORMS), ids=lambda m: m.__name__)
def test_a_wrong_type_is_refused(model: type[StrictModel]) -> None:
    name = next(iter(FORMS[model]))
    with pytest.raises(ValidationError) as refused:
        build(model, {**FORMS[model], name: 3})
    assert refused.value.fields == {name: "must be text, not a number"}


def test_the_field_names_the_pages_post_are_the_models_fields() -> None:
    assert short_forms.RESPONSE_FIELD in UrgentResponseIn.model_fields
    assert short_forms.STAND_DOWN_FIELD in StandDownIn.model_fields


def test_a_document_names_every_problem_at_once() -> None:
    posted = {**FORMS[CheckedDocument], "pathway": "8", "carers": "x" * 2_001, "left_out": ("score",)}
    with pytest.raises(ValidationError) as refused:
        build(CheckedDocument, posted)
    assert list(refused.value.fields) == ["pathway", "carers", "left_out"]
    document = build(CheckedDocument, {**FORMS[CheckedDocument], "school": "  ", "date_of_birth": "1/2/2014"})
    assert (document.choice, document.details.school) == (OFFERED[0], None)
    assert document.details.date_of_birth == date(2014, 2, 1)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "Enter the review date"),
        ("someday", "Enter a real date, for example 27/3/2027"),
        ("26/3/2026", "The review date must be today or in the future"),
    ],
)
def test_a_review_date_is_read_on_the_day_given(typed: str, problem: str) -> None:
    assert ReviewDateIn.on(TODAY, review_on="27/3").review_on == TODAY
    with pytest.raises(ValidationError) as refused:
        ReviewDateIn.on(TODAY, review_on=typed)
    assert refused.value.fields == {"review_on": problem}


def test_a_date_read_without_a_day_is_a_programming_slip() -> None:
    with pytest.raises(TypeError, match=r"\.on\(today"):
        ReviewDateIn(review_on="27/4/2026")


def test_text_is_kept_exactly_as_typed_and_spaces_alone_are_missing() -> None:
    assert UrgentResponseIn(response="  spoke to DSL \n").response == "  spoke to DSL \n"
    assert FullRequestIn(message="   ").given is None
    with pytest.raises(ValidationError) as refused:
        StandDownIn(stand_down_reason=" \t")
    assert refused.value.fields == {"stand_down_reason": short_forms.MISSING_STAND_DOWN}
    with pytest.raises(ValidationError) as refused:
        UrgentResponseIn(response="a\x00b")
    assert refused.value.fields == {"response": "What you did contains a NUL character at position 2"}
