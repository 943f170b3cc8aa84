"""Assessments that add to one another ("Add to this assessment", issue #26 item 9), both ways.

A submitted assessment is read-only; something new starts another assessment linked to it. A lead reading
either sees the other: the later one "Adds to" the earlier, and the earlier is "Added to by" each later one
once it is submitted (a draft is not a case yet, so a lead is not pointed at it). Read in one statement for
any number of cases (none too), so the case list costs the same with or without links.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy.orm import Session

from bot.review.records import LinkedCase
from bot.store.case_links import linked_rows


class Linkable(Protocol):
    """A case as the store hands it (its row in the case list, or on its own), named by what links read."""

    @property
    def id(self) -> int: ...
    @property
    def linked_from_id(self) -> int | None: ...


def links_of(
    session: Session, assessments: Iterable[Linkable]
) -> dict[int, tuple[LinkedCase | None, tuple[LinkedCase, ...]]]:
    """Assessment id -> (the case it adds to, the submitted cases that add to it, oldest first)."""
    shown = list(assessments)
    ids = [a.id for a in shown]
    earlier_ids = [a.linked_from_id for a in shown if a.linked_from_id is not None]
    rows = linked_rows(session, ids, earlier_ids)
    by_id = {row.id: LinkedCase(row.id, row.reference, row.submitted_at) for row in rows}
    later: dict[int, list[LinkedCase]] = {}
    for row in rows:
        if row.linked_from_id in ids and row.submitted_at is not None:
            later.setdefault(row.linked_from_id, []).append(by_id[row.id])
    return {
        a.id: (
            by_id.get(a.linked_from_id) if a.linked_from_id is not None else None,
            tuple(later.get(a.id, ())),
        )
        for a in shown
    }
