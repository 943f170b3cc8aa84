"""Checking the sending form of a document (issue #12): every problem at once, each with a message the lead
can act on; nothing is saved on any problem. Text is checked, never changed: details go in exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.vocabulary import LAWFUL_BASES, SHARING_METHODS
from bot.questions import read_date
from bot.review.document_records import DETAIL_LABELS, Details, DocumentChoice, DocumentIn
from bot.store import validation

MAX_DETAIL_CHARS = 500  # a name, an address, a school; the carers' field holds several names and contacts
MAX_CARERS_CHARS = 2_000
OLDEST_AGE_YEARS = 25  # a care leaver can be supported to 25; an older date of birth is a typing slip


@dataclass(frozen=True)
class CheckedDocument:
    choice: DocumentChoice
    method: str
    lawful_basis: str
    details: Details
    left_out: tuple[str, ...] = ()  # field ids, in DETAIL_LABELS order, each once


def check_document(form: DocumentIn, *, today: date, choices: tuple[DocumentChoice, ...]) -> CheckedDocument:
    problems = validation.Problems()
    choice = next((c for c in choices if str(c.pathway.id) == form.pathway), None)
    if choice is None:
        problems.add("pathway", "Select the pathway of the current decision this document is for")
    if form.method not in SHARING_METHODS:
        problems.add("method", "Select how it is sent")
    if form.lawful_basis not in LAWFUL_BASES:
        problems.add("lawful_basis", "Select the lawful basis for sharing it")
    for name in ("child_name", "address", "school"):
        validation.check_text(problems, name, getattr(form, name), limit=MAX_DETAIL_CHARS)
    validation.check_text(problems, "carers", form.carers, limit=MAX_CARERS_CHARS)
    born = _date_of_birth(problems, form.date_of_birth, today)
    unknown = [name for name in form.left_out if name not in DETAIL_LABELS]
    if unknown:
        problems.add(
            "left_out",
            "Only identifying details can be left out of a document: "
            f"{', '.join(repr(name) for name in unknown)} is not one of them",
        )
    problems.raise_if_any()
    if choice is None:  # a problem was added above; explicit, as `python -O` strips asserts
        raise AssertionError("unreachable: no pathway chosen yet no problem raised")
    details = Details(
        child_name=_given(form.child_name),
        date_of_birth=born,
        address=_given(form.address),
        school=_given(form.school),
        carers=_given(form.carers),
    )
    left_out = tuple(name for name in DETAIL_LABELS if name in form.left_out)
    return CheckedDocument(choice, form.method, form.lawful_basis, details, left_out)


def _given(text: str) -> str | None:
    # Stored as typed; a field of spaces only is a field left empty, so no blank line goes to the recipient.
    return text if text.strip() else None


def _date_of_birth(problems: validation.Problems, text: str, today: date) -> date | None:
    if text.strip() == "":
        return None
    born = read_date(text, today=today, prefer="past")
    if born is None:
        problems.add("date_of_birth", "Enter a real date of birth, for example 27/3/2012, or leave it empty")
        return None
    if born > today:
        problems.add("date_of_birth", "The date of birth cannot be in the future")
        return None
    if born.year < today.year - OLDEST_AGE_YEARS:
        problems.add(
            "date_of_birth", f"Check the year: the date of birth is over {OLDEST_AGE_YEARS} years ago"
        )
        return None
    return born
