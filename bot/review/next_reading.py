"""Reading a case's "What happened next" for the case document (page, PDF, JSON): three statements however
much the case holds, everything oldest first.

The standing decision's own review date counts as one of the case's reviews (issue #12: reuse it, do not copy
it); once its reminder has gone, a `case_reviews` row for that date holds when, and that row is shown instead.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.review.next_records import OutcomeView, PathwayChoice, ReviewView, SharingView, WhatNext
from bot.review.review_dates import review_state
from bot.store import next_reads
from bot.store.review_reads import usernames
from bot.store.review_rows import DecisionRow


def what_next_of(
    session: Session,
    assessment_id: int,
    standing: DecisionRow | None,
    pathways: tuple[PathwayChoice, ...],
    names: dict[int, str],
    *,
    today: date,
) -> WhatNext:
    """`names` maps user ids to usernames; any it lacks are read here (one statement)."""
    sharing = next_reads.sharing_of(session, assessment_id)
    outcomes = next_reads.outcomes_of(session, assessment_id)
    reviews = next_reads.reviews_of(session, assessment_id)
    pathway_keys = _pathway_keys(session, [row.decision_pathway_id for row in sharing], pathways)
    missing = {row.recorded_by for row in (*sharing, *outcomes)} - names.keys()
    if missing:
        names = {**names, **usernames(session, missing)}
    views = [
        ReviewView(
            row.due_on, row.source, review_state(row.due_on, row.held_on, today), row.held_on, row.reminded_at
        )
        for row in reviews
    ]
    decided = standing.review_date if standing is not None else None
    if decided is not None and all(view.due_on != decided for view in views):
        views.append(ReviewView(decided, "decision", review_state(decided, None, today)))
    return WhatNext(
        sharing=tuple(
            SharingView(
                id=row.id,
                shared_what=row.shared_what,
                recipient=row.recipient,
                partner=row.partner,
                shared_on=row.shared_on,
                method=row.method,
                lawful_basis=row.lawful_basis,
                pathway=pathway_keys.get(row.decision_pathway_id) if row.decision_pathway_id else None,
                corrects_id=row.corrects_id,
                recorded_by=names.get(row.recorded_by, "(unknown)"),
                recorded_at=row.recorded_at,
            )
            for row in sharing
        ),
        outcomes=tuple(
            OutcomeView(
                id=row.id,
                pathway=row.pathway,
                outcome=row.outcome,
                outcome_on=row.outcome_on,
                note=row.note,
                corrects_id=row.corrects_id,
                recorded_by=names.get(row.recorded_by, "(unknown)"),
                recorded_at=row.recorded_at,
            )
            for row in outcomes
        ),
        reviews=tuple(sorted(views, key=lambda view: view.due_on)),
        pathways=pathways,
    )


def _pathway_keys(
    session: Session, ids: list[int | None], standing: tuple[PathwayChoice, ...]
) -> dict[int, str]:
    """Pathway keys by decision_pathways id: the standing decision's are known, an older one's are read."""
    keys = {choice.id: choice.key for choice in standing}
    others = {i for i in ids if i is not None} - keys.keys()
    if others:
        keys.update(next_reads.pathway_keys(session, others))
    return keys
