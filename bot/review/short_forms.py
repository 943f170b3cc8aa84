"""The review's one-field forms, each a strict model that checks itself when built: what a lead did about an
urgent flag, why it was not an emergency, why a case is reopened, the message sent with a request for the full
assessment, and a review date.

Each field is named as the form's field is, so the error summary links to the box the lead types in. Text is
checked, never changed: a text of spaces alone counts as missing (nothing to save), but any other text is
stored exactly as typed, with the limit and storable-character rules of every other free text in the record.
They are built by the services once the case is known to be in scope and the lead may act on it, so that a
refusal is decided (and audited) before the words are read.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationInfo, field_validator

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.rules import text_problem, written_problem
from bot.domain.strict import StrictModel, json_type, refusal, today_of
from bot.questions import read_date

# The form fields' names and ids (the models' field names; tests/domain checks they agree).
RESPONSE_FIELD = "response"
STAND_DOWN_FIELD = "stand_down_reason"
MISSING_RESPONSE = "Enter what you did, for example who you spoke to and what was agreed"
MISSING_STAND_DOWN = "Enter why this was not an emergency, for example what you found out and from whom"
MISSING_REASON = "Enter the reason for reopening this case"
A_REAL_FUTURE_DATE = "Enter a real date, for example 27/3/2027"


def _described(value: str, missing: str, what: str) -> str:
    # The text rules describe the text ("is 12,000 characters long..."): say which text.
    if value.strip() == "":
        raise refusal(missing)
    if (problem := text_problem(value, limit=MAX_ANSWER_CHARS)) is not None:
        raise refusal(f"{what} {problem}")
    return value


class UrgentResponseIn(StrictModel):
    """ "Record what you did" on an urgent case."""

    response: str

    @field_validator("response")
    @classmethod
    def _written(cls, value: str) -> str:
        return _described(value, MISSING_RESPONSE, "What you did")


class StandDownIn(StrictModel):
    """ "Stand down the urgent flag": why this was not an emergency."""

    stand_down_reason: str

    @field_validator("stand_down_reason")
    @classmethod
    def _written(cls, value: str) -> str:
        return _described(value, MISSING_STAND_DOWN, "Why this was not an emergency")


class ReopenIn(StrictModel):
    """Why a closed case is reopened."""

    reason: str

    @field_validator("reason")
    @classmethod
    def _written(cls, value: str) -> str:
        if (problem := written_problem(value, missing=MISSING_REASON)) is not None:
            raise refusal(problem)
        return value


class FullRequestIn(StrictModel):
    """The lead's optional message with a request for the full assessment."""

    message: str

    @field_validator("message")
    @classmethod
    def _free_text(cls, value: str) -> str:
        if value.strip() and (problem := text_problem(value, limit=MAX_ANSWER_CHARS)) is not None:
            raise refusal(problem)
        return value

    @property
    def given(self) -> str | None:
        """The message exactly as typed; None when left blank (it is optional)."""
        return self.message if self.message.strip() else None


class ReviewDateIn(StrictModel):
    """A review date for the case: today or later, typed as a person types a date."""

    review_on: date

    @field_validator("review_on", mode="before")
    @classmethod
    def _read(cls, value: object, info: ValidationInfo) -> date:
        if not isinstance(value, str):
            raise refusal(f"must be text, not {json_type(value)}")
        if value.strip() == "":
            raise refusal("Enter the review date")
        today = today_of(info)
        when = read_date(value, today=today, prefer="future")
        if when is None:
            raise refusal(A_REAL_FUTURE_DATE)
        if when < today:
            raise refusal("The review date must be today or in the future")
        return when
