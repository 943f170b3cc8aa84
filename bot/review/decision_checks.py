"""The decision form, checked: a strict model built by the service from the form as posted and the day it is
read on. Every problem is reported at once, each with a message the lead can act on, keyed by the form's own
field ids (`pathway-<key>-rationale`, `action-2-due`), and nothing is saved on any problem.

Text is checked, never changed: the rationale is stored exactly as typed (a rationale of spaces alone counts
as missing, but is not trimmed).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import ValidationInfo, field_validator

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.pathways import PATHWAY_BY_KEY, PATHWAY_LIST
from bot.domain.rules import text_problem, written_problem
from bot.domain.strict import TODAY, StrictModel, json_type, refusal, today_of
from bot.domain.vocabulary import CONSENT_DECISIONS, CONSENT_NEEDS_REASON, LAWFUL_BASES
from bot.questions import read_date
from bot.questions.dates import Prefer
from bot.review.forms import ActionIn, DecisionIn
from bot.review.partners import PARTNER_BY_KEY
from bot.review.pathway_records import PathwayIn

MAX_OWNER_CHARS = 200
MAX_ACTIONS = 10
A_REAL_DATE = "Enter a real date, for example 27/3/2027"


def _written(value: str, missing: str, limit: int = MAX_ANSWER_CHARS) -> str:
    if (problem := written_problem(value, missing=missing, limit=limit)) is not None:
        raise refusal(problem)
    return value


def _optional(value: str) -> str | None:
    """Optional free text: kept exactly as typed; empty is None."""
    if value and (problem := text_problem(value, limit=MAX_ANSWER_CHARS)) is not None:
        raise refusal(problem)
    return value or None


def _date(value: object, info: ValidationInfo, prefer: Prefer) -> date | None:
    if not isinstance(value, str):
        raise refusal(f"must be text, not {json_type(value)}")
    if value.strip() == "":
        return None
    when = read_date(value, today=today_of(info), prefer=prefer)
    if when is None:
        raise refusal(A_REAL_DATE)
    return when


class CheckedPathway(StrictModel):
    """One ticked pathway with its own rationale, what is shared, its owner and (if it needs one) partner."""

    key: str
    rationale: str
    shared: str
    owner: str
    partner: str | None

    @field_validator("key")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PATHWAY_BY_KEY:
            raise refusal("Select pathways from the list")
        return value

    @field_validator("rationale")
    @classmethod
    def _rationale(cls, value: str, info: ValidationInfo) -> str:
        return _written(value, f"Enter the rationale for {_label(info)}")

    @field_validator("shared")
    @classmethod
    def _shared(cls, value: str, info: ValidationInfo) -> str:
        return _written(value, f"Enter what is shared for {_label(info)}, or that nothing is")

    @field_validator("owner")
    @classmethod
    def _owner(cls, value: str, info: ValidationInfo) -> str:
        return _written(value, f"Enter who owns {_label(info)} (a named person or a role)", MAX_OWNER_CHARS)

    @field_validator("partner")
    @classmethod
    def _partner(cls, value: str | None, info: ValidationInfo) -> str | None:
        pathway = PATHWAY_BY_KEY.get(info.data.get("key", ""))
        if pathway is None or not pathway.needs_partner:
            return None
        if value not in PARTNER_BY_KEY:
            raise refusal(f"Select the partner for {pathway.label} from the directory")  # noqa: S608  # a message, not SQL
        return value


def _label(info: ValidationInfo) -> str:
    pathway = PATHWAY_BY_KEY.get(info.data.get("key", ""))
    return pathway.label if pathway is not None else "this pathway"


class CheckedAction(StrictModel):
    """One action row the lead filled in; `number` is its row on the form (empty rows are not used)."""

    number: int
    description: str
    owner: str
    due_date: date

    @field_validator("description")
    @classmethod
    def _description(cls, value: str, info: ValidationInfo) -> str:
        return _written(value, f"Enter what action {info.data.get('number')} is")

    @field_validator("owner")
    @classmethod
    def _owner(cls, value: str, info: ValidationInfo) -> str:
        return _written(
            value, f"Enter who owns action {info.data.get('number')} (a role or a name)", MAX_OWNER_CHARS
        )

    @field_validator("due_date", mode="before")
    @classmethod
    def _due(cls, value: object, info: ValidationInfo) -> date:
        if not isinstance(value, str) or value.strip() == "":
            raise refusal(f"Enter when action {info.data.get('number')} is due")
        when = _date(value, info, "future")
        if when is None:  # not blank, so read or refused above; explicit, as `python -O` strips asserts
            raise AssertionError("unreachable: a due date neither read nor refused")
        return when


class CheckedDecision(StrictModel):
    """The decision form's fields in the order its error summary lists them. `ticked` is the pathway keys as
    ticked (reported as `pathways`); `pathways` their rows in the directory's order, made only when every key
    ticked is a known pathway."""

    ticked: tuple[str, ...]
    pathways: tuple[CheckedPathway, ...]
    lawful_bases: tuple[str, ...]
    consent: str
    consent_reason: str | None
    review_date: date | None
    feedback: str | None
    feedback_given_on: date | None
    actions: tuple[CheckedAction, ...]

    @field_validator("ticked")
    @classmethod
    def _combination(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise refusal("Select at least one pathway you have decided on")
        if any(key not in PATHWAY_BY_KEY for key in value):
            raise refusal("Select pathways from the list")
        alone = [PATHWAY_BY_KEY[key] for key in value if PATHWAY_BY_KEY[key].alone]
        if alone and len(value) > 1:
            raise refusal(
                f"{alone[0].label} cannot be combined with another pathway: untick it or untick the others"
            )
        return value

    @field_validator("lawful_bases")
    @classmethod
    def _bases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise refusal("Select the lawful basis for recording and sharing this information")
        if any(basis not in LAWFUL_BASES for basis in value):
            raise refusal("Select lawful bases from the list")
        return tuple(dict.fromkeys(value))

    @field_validator("consent")
    @classmethod
    def _consent(cls, value: str) -> str:
        if value not in CONSENT_DECISIONS:
            raise refusal("Select whether consent was given, refused or not sought")
        return value

    @field_validator("consent_reason")
    @classmethod
    def _consent_reason(cls, value: str | None, info: ValidationInfo) -> str | None:
        consent = info.data.get("consent")
        if value is None or consent is None:
            return value or None  # consent itself is wrong: that is the one problem to fix first
        if consent in CONSENT_NEEDS_REASON:
            return _written(value, "Enter why consent was refused or not sought")
        return _optional(value)

    @field_validator("review_date", mode="before")
    @classmethod
    def _review(cls, value: object, info: ValidationInfo) -> date | None:
        return _date(value, info, "future")

    @field_validator("feedback")
    @classmethod
    def _feedback(cls, value: str | None) -> str | None:
        return None if value is None else _optional(value)

    @field_validator("feedback_given_on", mode="before")
    @classmethod
    def _feedback_on(cls, value: object, info: ValidationInfo) -> date | None:
        return _date(value, info, "past")


def check_decision(form: DecisionIn, *, today: date) -> CheckedDecision:
    """The decision, or ValidationError naming each field that is wrong (keys match the form's field ids)."""
    posted = _posted(form)
    return CheckedDecision.read(posted, {TODAY: today}, lambda loc: form_field(loc, posted))


def _posted(form: DecisionIn) -> dict[str, Any]:
    """The model's input: a pathway ticked twice counts once (its last fields), rows in the directory's
    order; the first MAX_ACTIONS action rows that hold anything, each with its row number."""
    chosen = {row.key: row for row in form.pathways}
    known = all(key in PATHWAY_BY_KEY for key in chosen)
    rows: tuple[PathwayIn, ...] = (
        tuple(chosen[p.key] for p in PATHWAY_LIST if p.key in chosen) if known else ()
    )
    return {
        "ticked": tuple(chosen),
        "pathways": tuple(asdict(row) for row in rows),
        "lawful_bases": form.lawful_bases,
        "consent": form.consent,
        "consent_reason": form.consent_reason,
        "review_date": form.review_date,
        "feedback": form.feedback,
        "feedback_given_on": form.feedback_given_on,
        "actions": tuple(
            {"number": number, **asdict(row)}
            for number, row in enumerate(form.actions[:MAX_ACTIONS], start=1)
            if _used(row)
        ),
    }


def _used(row: ActionIn) -> bool:
    return bool(row.description.strip() or row.owner.strip() or row.due_date.strip())


def form_field(loc: tuple[int | str, ...], posted: dict[str, Any]) -> str | None:
    """The form's field id for an error at `loc` in the model built from `posted` (None: its plain name)."""
    match loc:
        case ("ticked", *_):
            return "pathways"
        case ("pathways", int(index), str(name)):
            return f"pathway-{posted['pathways'][index]['key']}-{name}"
        case ("actions", int(index), str(name)):
            part = "due" if name == "due_date" else name
            return f"action-{posted['actions'][index]['number']}-{part}"
    return None
