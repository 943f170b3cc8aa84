"""The sending form of a document (issue #12), checked: a strict model built from the form as posted with the
day it is read on and the documents the case's standing decision offers (which only the service can read).
Every problem is reported at once, each with a message the lead can act on, and nothing is saved on any
problem. Text is checked, never changed: details go in exactly as typed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import ConfigDict, ValidationInfo, field_validator

from bot.domain.rules import text_problem
from bot.domain.strict import TODAY, StrictModel, json_type, refusal, today_of
from bot.domain.vocabulary import LAWFUL_BASES, SHARING_METHODS
from bot.questions import read_date
from bot.review.document_records import DETAIL_LABELS, Details, DocumentChoice, DocumentIn

MAX_DETAIL_CHARS = 500  # a name, an address, a school; the carers' field holds several names and contacts
MAX_CARERS_CHARS = 2_000
OLDEST_AGE_YEARS = 25  # a care leaver can be supported to 25; an older date of birth is a typing slip
CHOICES = "choices"  # validation context key: the DocumentChoice tuple of the case's standing decision


class CheckedDocument(StrictModel):
    """The form's fields in the order its error summary lists them; an identifying detail left empty (or
    spaces only, so no blank line goes to the recipient) is None."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pathway: DocumentChoice
    method: str
    lawful_basis: str
    child_name: str | None
    address: str | None
    school: str | None
    carers: str | None
    date_of_birth: date | None
    left_out: tuple[str, ...]  # field ids, in DETAIL_LABELS order, each once

    @property
    def choice(self) -> DocumentChoice:
        return self.pathway

    @property
    def details(self) -> Details:
        return Details(
            child_name=self.child_name,
            date_of_birth=self.date_of_birth,
            address=self.address,
            school=self.school,
            carers=self.carers,
        )

    @field_validator("pathway", mode="before")
    @classmethod
    def _offered(cls, value: object, info: ValidationInfo) -> DocumentChoice:
        choices: tuple[DocumentChoice, ...] = (info.context or {}).get(CHOICES, ())
        found = next((c for c in choices if str(c.pathway.id) == _text(value)), None)
        if found is None:
            raise refusal("Select the pathway of the current decision this document is for")
        return found

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        if value not in SHARING_METHODS:
            raise refusal("Select how it is sent")
        return value

    @field_validator("lawful_basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        if value not in LAWFUL_BASES:
            raise refusal("Select the lawful basis for sharing it")
        return value

    @field_validator("child_name", "address", "school", "carers", mode="before")
    @classmethod
    def _detail(cls, value: object, info: ValidationInfo) -> str | None:
        limit = MAX_CARERS_CHARS if info.field_name == "carers" else MAX_DETAIL_CHARS
        if (problem := text_problem(_text(value), limit=limit)) is not None:
            raise refusal(problem)
        return _given(_text(value))

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _born(cls, value: object, info: ValidationInfo) -> date | None:
        text, today = _text(value), today_of(info)
        if text.strip() == "":
            return None
        born = read_date(text, today=today, prefer="past")
        if born is None:
            raise refusal("Enter a real date of birth, for example 27/3/2012, or leave it empty")
        if born > today:
            raise refusal("The date of birth cannot be in the future")
        if born.year < today.year - OLDEST_AGE_YEARS:
            raise refusal(f"Check the year: the date of birth is over {OLDEST_AGE_YEARS} years ago")
        return born

    @field_validator("left_out")
    @classmethod
    def _identifying(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in DETAIL_LABELS]
        if unknown:
            raise refusal(
                "Only identifying details can be left out of a document: "
                f"{', '.join(repr(name) for name in unknown)} is not one of them"
            )
        return tuple(name for name in DETAIL_LABELS if name in value)


def check_document(form: DocumentIn, *, today: date, choices: tuple[DocumentChoice, ...]) -> CheckedDocument:
    """The document to make, or ValidationError naming each field that is wrong (nothing is changed)."""
    posted: dict[str, Any] = asdict(form)
    return CheckedDocument.read(posted, {TODAY: today, CHOICES: choices})


def _text(value: object) -> str:
    # The form posts text; anything else is a caller's slip, refused in the words of every strict input.
    if not isinstance(value, str):
        raise refusal(f"must be text, not {json_type(value)}")
    return value


def _given(text: str) -> str | None:
    # Stored as typed; a field of spaces only is a field left empty, so no blank line goes to the recipient.
    return text if text.strip() else None
