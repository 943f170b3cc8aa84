"""Writing VAF tags on the evidence: adding one dimension to an answer's revision, and marking a tag removed.

The review checks scope, role, the form and the case's state (bot.review.tagging) and writes the audit events;
the rows are read and written here, in the caller's transaction, so only the store touches the ORM models
(issue #29). A removed tag is kept, with who removed it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.store.review_models import EvidenceTag


@dataclass(frozen=True)
class TagRow:
    """A tag as the review's audit trail names it: ids and labels, never the note."""

    id: int
    assessment_id: int
    question_id: str
    answer_revision: int
    dimension: str
    removed: bool


def add_tag(
    session: Session,
    *,
    assessment_id: int,
    question_id: str,
    answer_revision: int,
    dimension: str,
    note: str | None,
    tagged_by: int,
    tagged_at: datetime,
) -> int:
    """One dimension on one answer's revision; the new tag's id."""
    row = EvidenceTag(
        assessment_id=assessment_id,
        question_id=question_id,
        answer_revision=answer_revision,
        dimension=dimension,
        note=note,
        tagged_by=tagged_by,
        tagged_at=tagged_at,
    )
    session.add(row)
    session.flush()
    return row.id


def tag_by_id(session: Session, tag_id: int) -> TagRow | None:
    row = session.get(EvidenceTag, tag_id)
    if row is None:
        return None
    return TagRow(
        id=row.id,
        assessment_id=row.assessment_id,
        question_id=row.question_id,
        answer_revision=row.answer_revision,
        dimension=row.dimension,
        removed=row.removed_at is not None,
    )


def mark_removed(session: Session, tag_id: int, *, removed_by: int, removed_at: datetime) -> None:
    row = session.get(EvidenceTag, tag_id)
    if row is None:  # read in this transaction by tag_by_id; explicit, as `python -O` strips asserts
        raise AssertionError(f"unreachable: tag {tag_id} vanished inside its transaction")
    row.removed_by = removed_by
    row.removed_at = removed_at
