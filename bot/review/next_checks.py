"""The "What happened next" forms (issue #12), checked: strict models built by the service from the form as
posted, the day it is read on, and what only the service can read from the case (the standing decision's
pathways and the case's earlier entries), passed in pydantic's validation context. Every problem at once,
each with a message the lead can act on, keyed by the page's field ids; nothing is changed here. Text is
checked, never changed: it is stored exactly as typed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from pydantic import ConfigDict, ValidationInfo, field_validator

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.pathways import PATHWAY_BY_KEY
from bot.domain.rules import text_problem, written_problem
from bot.domain.strict import TODAY, StrictModel, json_type, refusal, today_of
from bot.questions import read_date
from bot.review.next_records import OutcomeIn, PathwayChoice, SharingIn
from bot.review.partners import PARTNER_BY_KEY
from bot.review.share_checks import lawful_basis, sharing_method

MAX_RECIPIENT_CHARS = 200
# Validation context keys: the standing decision's PathwayChoice tuple, and the ids of the case's earlier
# entries of the same kind (a correction must name one of them).
PATHWAYS = "pathways"
EARLIER = "earlier"


def _posted_text(value: object) -> str:
    # The form posts text; anything else is a caller's slip, refused in the words of every strict input.
    if not isinstance(value, str):
        raise refusal(f"must be text, not {json_type(value)}")
    return value


def _past_date(value: object, info: ValidationInfo, missing: str) -> date:
    text = _posted_text(value)
    if text.strip() == "":
        raise refusal(missing)
    today = today_of(info)
    when = read_date(text, today=today, prefer="past")
    if when is None:
        raise refusal("Enter a real date, for example 27/3/2026")
    if when > today:
        raise refusal("The date cannot be in the future")
    return when


def _pathway(value: object, info: ValidationInfo, *, required: bool) -> PathwayChoice | None:
    text = _posted_text(value)
    if text == "":
        if required:
            raise refusal("Select what happened, on a pathway of the current decision")
        return None
    choices: tuple[PathwayChoice, ...] = (info.context or {}).get(PATHWAYS, ())
    found = next((choice for choice in choices if str(choice.id) == text), None)
    if found is None:
        raise refusal("Select a pathway of the current decision")
    return found


def _corrects(value: object, info: ValidationInfo) -> int | None:
    text = _posted_text(value)
    if text == "":
        return None
    earlier: set[int] = (info.context or {}).get(EARLIER, set())
    if not text.isdecimal() or int(text[:12]) not in earlier:
        raise refusal("Select an earlier entry of this case to correct, or leave it empty")
    return int(text)


class CheckedSharing(StrictModel):
    """One share, in the order the form's error summary lists its fields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    shared_what: str
    partner: str | None
    recipient: str | None
    shared_on: date
    method: str
    lawful_basis: str
    pathway: PathwayChoice | None
    corrects: int | None

    @field_validator("shared_what")
    @classmethod
    def _what(cls, value: str) -> str:
        if (problem := written_problem(value, missing="Enter what was shared")) is not None:
            raise refusal(problem)
        return value

    @field_validator("partner")
    @classmethod
    def _partner(cls, value: str | None) -> str | None:
        if value and value not in PARTNER_BY_KEY:
            raise refusal("Select a partner from the directory, or leave it empty")
        return value or None

    @field_validator("recipient")
    @classmethod
    def _recipient(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A partner that was refused above was still chosen: the recipient is not missing as well.
        partner_given = "partner" not in info.data or info.data["partner"] is not None
        if (value or "").strip() == "" and not partner_given:
            raise refusal("Enter who it was shared with, or select a partner from the directory")
        if value and (problem := text_problem(value, limit=MAX_RECIPIENT_CHARS)) is not None:
            raise refusal(problem)
        return value or None

    @field_validator("shared_on", mode="before")
    @classmethod
    def _shared_on(cls, value: object, info: ValidationInfo) -> date:
        return _past_date(value, info, "Enter the date it was shared")

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        return sharing_method(value, "Select how it was shared")

    @field_validator("lawful_basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        return lawful_basis(value)

    @field_validator("pathway", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> PathwayChoice | None:
        return _pathway(value, info, required=False)

    @field_validator("corrects", mode="before")
    @classmethod
    def _corrected(cls, value: object, info: ValidationInfo) -> int | None:
        return _corrects(value, info)


class CheckedOutcome(StrictModel):
    """What happened on one pathway of the standing decision. One field on the page chooses both the
    pathway and what happened on it, so both report as `outcome`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pathway: PathwayChoice
    outcome: str
    outcome_on: date
    note: str | None
    corrects: int | None

    @field_validator("pathway", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> PathwayChoice | None:
        return _pathway(value, info, required=True)

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, value: str, info: ValidationInfo) -> str:
        pathway = info.data.get("pathway")
        if pathway is not None and PATHWAY_BY_KEY[pathway.key].outcome(value) is None:
            raise refusal(f"Select an outcome of {PATHWAY_BY_KEY[pathway.key].label}")
        return value

    @field_validator("outcome_on", mode="before")
    @classmethod
    def _outcome_on(cls, value: object, info: ValidationInfo) -> date:
        return _past_date(value, info, "Enter the date it happened")

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        if value and (problem := text_problem(value, limit=MAX_ANSWER_CHARS)) is not None:
            raise refusal(problem)
        return value or None

    @field_validator("corrects", mode="before")
    @classmethod
    def _corrected(cls, value: object, info: ValidationInfo) -> int | None:
        return _corrects(value, info)


# The page's field ids where they differ from the models' field names.
SHARING_FIELDS = {"pathway": "sharing_pathway"}
OUTCOME_FIELDS = {"pathway": "outcome", "corrects": "outcome_corrects"}


def form_field(loc: tuple[int | str, ...], fields: dict[str, str]) -> str | None:
    """The page's field id for an error at `loc` (None: its plain name)."""
    return fields.get(str(loc[0])) if loc else None


def check_sharing(
    form: SharingIn, *, today: date, pathways: tuple[PathwayChoice, ...], earlier: set[int]
) -> CheckedSharing:
    context = {TODAY: today, PATHWAYS: pathways, EARLIER: earlier}
    return CheckedSharing.read(asdict(form), context, lambda loc: form_field(loc, SHARING_FIELDS))


def check_outcome(
    form: OutcomeIn, *, today: date, pathways: tuple[PathwayChoice, ...], earlier: set[int]
) -> CheckedOutcome:
    context = {TODAY: today, PATHWAYS: pathways, EARLIER: earlier}
    return CheckedOutcome.read(asdict(form), context, lambda loc: form_field(loc, OUTCOME_FIELDS))
