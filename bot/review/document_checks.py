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

from bot.domain.strict import TODAY, StrictModel, refusal
from bot.review.detail_checks import BirthDate, DetailText, posted_text
from bot.review.document_records import DETAIL_LABELS, Details, DocumentChoice, DocumentIn
from bot.review.share_checks import lawful_basis, sharing_method

CHOICES = "choices"  # validation context key: the DocumentChoice tuple of the case's standing decision


class CheckedDocument(StrictModel):
    """The form's fields in the order its error summary lists them; an identifying detail left empty (or
    spaces only, so no blank line goes to the recipient) is None."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    pathway: DocumentChoice
    method: str
    lawful_basis: str
    child_name: DetailText
    address: DetailText
    school: DetailText
    carers: DetailText
    date_of_birth: BirthDate
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
        found = next((c for c in choices if str(c.pathway.id) == posted_text(value)), None)
        if found is None:
            raise refusal("Select the pathway of the current decision this document is for")
        return found

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        return sharing_method(value, "Select how it is sent")

    @field_validator("lawful_basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        return lawful_basis(value)

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
