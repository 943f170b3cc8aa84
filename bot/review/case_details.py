"""A case's identifying details, stored once and offered again (issue #12): the child's name, date of birth,
address, school and parents' or carers' names and contacts, as its leads entered them.

Each change is a new row of `identifying_details`, never an edit, so that every document keeps pointing at
the version it was made with and can say which one it used. The case's details are its latest row; the
version number is that row's place among the case's rows (1 for the first). The details stay apart from the
assessment's answers, as before; what the audit trail learns of a change is which fields changed, never what
they said.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from sqlalchemy.orm import Session

from bot.review.document_records import Details, DetailsVersion, DocumentIn
from bot.store import identifying_details, review_reads
from bot.store.case_rows import CaseRow
from bot.store.document_rows import DetailsRow

DETAIL_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(Details))


def details_of(row: DetailsRow) -> Details:
    return Details(row.child_name, row.date_of_birth, row.address, row.school, row.carers)


def version_numbers(session: Session, assessment_id: int) -> dict[int, int]:
    """Each details row's version number for the case, by its id."""
    ids = identifying_details.version_ids(session, assessment_id)
    return {row_id: number for number, row_id in enumerate(ids, start=1)}


def version_of(session: Session, row: DetailsRow) -> int:
    return identifying_details.version_of(session, row)


def current_version(session: Session, assessment_id: int) -> DetailsVersion | None:
    """The case's details as they stand (its latest version), or None if no lead has entered any."""
    row = identifying_details.latest(session, assessment_id)
    if row is None:
        return None
    names = review_reads.usernames(session, [row.entered_by])
    return DetailsVersion(
        id=row.id,
        number=version_of(session, row),
        details=details_of(row),
        entered_by=names.get(row.entered_by, "unknown"),
        entered_at=row.entered_at,
    )


def all_versions(session: Session, assessment_id: int) -> tuple[DetailsVersion, ...]:
    """Every version of the case's details, oldest first (a subject access export shows them all)."""
    rows = identifying_details.all_of(session, assessment_id)
    names = review_reads.usernames(session, [row.entered_by for row in rows])
    return tuple(
        DetailsVersion(row.id, number, details_of(row), names.get(row.entered_by, "unknown"), row.entered_at)
        for number, row in enumerate(rows, start=1)
    )


def live_cases_naming(session: Session, person: str) -> list[CaseRow]:
    """Live cases any version of whose details names the person: the whole name, ignoring case and spacing
    (a DPO asks about one named child, so part of a name would find strangers). Compared here rather than in
    SQL, so that both databases collapse spaces alike."""
    name = _name_key(person)
    rows = identifying_details.live_child_names(session)
    ids = {assessment_id for assessment_id, child in rows if _name_key(child) == name}
    return review_reads.cases_by_ids(session, ids)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def changed_fields(before: Details | None, after: Details) -> tuple[str, ...]:
    """The names of the fields that differ: the whole of what the audit trail is told about a change."""
    was = before or Details()
    return tuple(name for name in DETAIL_FIELDS if getattr(was, name) != getattr(after, name))


def keep_details(
    session: Session, assessment_id: int, details: Details, *, entered_by: int, at: datetime
) -> tuple[DetailsRow | None, tuple[str, ...]]:
    """The version a document is made with: the current one if the form left it as it was, else a new one.
    Returns the row (None while the case has none) and the fields changed (empty when none were)."""
    current = identifying_details.latest(session, assessment_id)
    changed = changed_fields(details_of(current) if current is not None else None, details)
    if not changed:
        return current, ()
    row = identifying_details.add_version(
        session,
        assessment_id=assessment_id,
        child_name=details.child_name,
        date_of_birth=details.date_of_birth,
        address=details.address,
        school=details.school,
        carers=details.carers,
        entered_by=entered_by,
        entered_at=at,
    )
    return row, changed


def prefilled(version: DetailsVersion | None) -> DocumentIn:
    """The sending form with the case's details in it, as the lead would type them (a date as 27/3/2012)."""
    if version is None:
        return DocumentIn()
    details = version.details
    born = details.date_of_birth
    return DocumentIn(
        child_name=details.child_name or "",
        date_of_birth=f"{born.day}/{born.month}/{born.year}" if born else "",
        address=details.address or "",
        school=details.school or "",
        carers=details.carers or "",
    )
