"""A case's identifying details as a lead types them (issue #12), checked: the rules each field keeps
wherever it is entered (the documents form, and "Change identifying details" on the case page), and the
details form's own strict model. Every problem is reported at once and nothing is saved on any problem.
Text is checked, never changed: details go in exactly as typed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from bot.domain.rules import text_problem
from bot.domain.strict import TODAY, StrictModel, json_type, refusal, today_of
from bot.questions import read_date
from bot.review.document_records import Details

MAX_DETAIL_CHARS = 500  # a name, an address, a school; the carers' field holds several names and contacts
MAX_CARERS_CHARS = 2_000
OLDEST_AGE_YEARS = 25  # a care leaver can be supported to 25; an older date of birth is a typing slip


@dataclass(frozen=True)
class DetailsIn:
    """The details form exactly as posted (or pre-filled: a date as 27/3/2012). Every field is optional."""

    child_name: str = ""
    date_of_birth: str = ""
    address: str = ""
    school: str = ""
    carers: str = ""


def detail_text(value: object, info: ValidationInfo) -> str | None:
    """A text detail as typed, or None for a field left empty (or spaces only, so no blank line is sent)."""
    limit = MAX_CARERS_CHARS if info.field_name == "carers" else MAX_DETAIL_CHARS
    text = posted_text(value)
    if (problem := text_problem(text, limit=limit)) is not None:
        raise refusal(problem)
    return text if text.strip() else None


def birth_date(value: object, info: ValidationInfo) -> date | None:
    today = today_of(info)
    text = posted_text(value)
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


# A detail's rules wherever a form carries one (this form and the documents form): one type each, so the two
# forms cannot drift apart.
DetailText = Annotated[str | None, BeforeValidator(detail_text)]
BirthDate = Annotated[date | None, BeforeValidator(birth_date)]


class CheckedDetails(StrictModel):
    """The details form's fields in the order its error summary lists them (the form's order)."""

    child_name: DetailText
    date_of_birth: BirthDate
    address: DetailText
    school: DetailText
    carers: DetailText

    @property
    def details(self) -> Details:
        return Details(self.child_name, self.date_of_birth, self.address, self.school, self.carers)


def check_details(form: DetailsIn, *, today: date) -> Details:
    """The details to keep, or ValidationError naming each field that is wrong (nothing is changed)."""
    posted: dict[str, Any] = asdict(form)
    return CheckedDetails.read(posted, {TODAY: today}).details


def posted_text(value: object) -> str:
    # The form posts text; anything else is a caller's slip, refused in the words of every strict input.
    if not isinstance(value, str):
        raise refusal(f"must be text, not {json_type(value)}")
    return value
