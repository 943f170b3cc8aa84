"""The last service inputs made strict models (issue #29 point 8): the decision, tagging, sharing and outcome
forms and the web chat's display log each refuse an unknown field and a wrong type with our ValidationError
(one message per field, as a person reads it), never pydantic's own report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain.chat_inputs import ChatButtonIn, ChatLineIn, ChatLogIn
from bot.domain.errors import ValidationError
from bot.domain.strict import TODAY as TODAY_KEY
from bot.domain.strict import UNKNOWN_FIELD, StrictModel
from bot.review.decision_checks import CheckedAction, CheckedDecision, CheckedPathway
from bot.review.next_checks import EARLIER, PATHWAYS, CheckedOutcome, CheckedSharing
from bot.review.next_records import PathwayChoice
from bot.review.tag_checks import CheckedTag

TODAY = date(2026, 3, 27)
STANDING = (PathwayChoice(7, "early_help"),)
PATHWAY = {"key": "early_help", "rationale": "r", "shared": "s", "owner": "o", "partner": ""}
ACTION = {"number": 1, "description": "Call the school", "owner": "DSL", "due_date": "30/6/2099"}

# Each model with fields that pass, as its service builds it.
MODELS: dict[type[StrictModel], dict[str, Any]] = {
    CheckedPathway: PATHWAY,
    CheckedAction: ACTION,
    CheckedDecision: {
        "ticked": ("early_help",),
        "pathways": (PATHWAY,),
        "lawful_bases": ("art6_public_task",),
        "consent": "given",
        "consent_reason": "",
        "review_date": "",
        "feedback": "",
        "feedback_given_on": "",
        "actions": (ACTION,),
    },
    CheckedTag: {"question_id": "q1", "revision": 1, "dimensions": ("intent",), "note": ""},
    CheckedSharing: {
        "shared_what": "The decision",
        "partner": "",
        "recipient": "The school's DSL",
        "shared_on": "1/3/2026",
        "method": "secure_email",
        "lawful_basis": "art6_public_task",
        "pathway": "7",
        "corrects": "",
    },
    CheckedOutcome: {
        "pathway": "7",
        "outcome": "early_help_started",
        "outcome_on": "1/3/2026",
        "note": "",
        "corrects": "",
    },
    ChatButtonIn: {"title": "Skip", "payload": "/skip"},
    ChatLineIn: {"direction": "out", "text": "What happened?", "buttons": [], "created_at": None},
    ChatLogIn: {"messages": []},
}


def build(model: type[StrictModel], fields: dict[str, Any]) -> StrictModel:
    """As the services build them: with the day they are read on and what the case holds."""
    return model.read(fields, {TODAY_KEY: TODAY, PATHWAYS: STANDING, EARLIER: set()})


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_the_fields_that_pass_build_the_model(model: type[StrictModel]) -> None:
    built = build(model, MODELS[model])
    assert set(type(built).model_fields) == set(MODELS[model])


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_an_unknown_field_is_refused_by_name(model: type[StrictModel]) -> None:
    fields = {**MODELS[model], "fact_data": "x"}
    if model is ChatButtonIn:  # a button is exactly a title and a payload, said as one problem
        with pytest.raises(ValidationError) as caught:
            build(model, fields)
        assert caught.value.fields == {"body": "must have exactly 'title' and 'payload'"}
        return
    with pytest.raises(ValidationError) as caught:
        build(model, fields)
    assert caught.value.fields == {"fact_data": UNKNOWN_FIELD}


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_a_wrong_type_is_refused_in_our_words(model: type[StrictModel]) -> None:
    name, value = next(iter(MODELS[model].items()))
    with pytest.raises(ValidationError) as caught:
        build(model, {**MODELS[model], name: "12" if isinstance(value, int) else 12})
    assert set(caught.value.fields) == {name}
    message = caught.value.fields[name]
    assert "Input should" not in message and "pydantic" not in message


def test_the_chat_log_names_each_line_as_the_caller_numbered_it() -> None:
    with pytest.raises(ValidationError) as caught:
        ChatLogIn.read({"messages": ["not a record"]}, {})
    assert caught.value.fields == {"messages[0]": "must be a ChatMessage"}
