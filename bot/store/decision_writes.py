"""Writing a lead's decision on a referral: the decision row, then its pathways and actions in form order.

The review checks the form (bot.review.decision_checks) and moves the referral; the rows are written here, so
only the store touches the ORM models (issue #29). The fields are read through protocols, so the review's
checked form is passed as it is and the store does not import the review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot.store.review_models import Decision, DecisionAction, DecisionPathway
from bot.store.review_rows import DecisionActionRow, DecisionTerms


class PathwayFields(Protocol):
    """One ticked pathway: its key, rationale, what is shared, its owner and partner (if it needs one)."""

    @property
    def key(self) -> str: ...
    @property
    def rationale(self) -> str: ...
    @property
    def shared(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def partner(self) -> str | None: ...


class DecisionFields(DecisionTerms, Protocol):
    """A checked decision form (bot.review.decision_checks.CheckedDecision)."""

    @property
    def pathways(self) -> Sequence[PathwayFields]: ...
    @property
    def actions(self) -> Sequence[DecisionActionRow]: ...


def add_decision(
    session: Session, *, referral_id: int, decided_by: int, decided_at: datetime, fields: DecisionFields
) -> int:
    """Write the decision and its rows in the caller's transaction; the new decision's id."""
    decision = Decision(
        referral_id=referral_id,
        decided_by=decided_by,
        decided_at=decided_at,
        lawful_bases=list(fields.lawful_bases),
        consent=fields.consent,
        consent_reason=fields.consent_reason,
        review_date=fields.review_date,
        feedback=fields.feedback,
        feedback_given_on=fields.feedback_given_on,
    )
    session.add(decision)
    session.flush()
    for position, chosen in enumerate(fields.pathways, start=1):
        session.add(
            DecisionPathway(
                decision_id=decision.id,
                position=position,
                pathway=chosen.key,
                rationale=chosen.rationale,
                shared=chosen.shared,
                owner=chosen.owner,
                partner=chosen.partner,
            )
        )
    for position, action in enumerate(fields.actions, start=1):
        session.add(
            DecisionAction(
                decision_id=decision.id,
                position=position,
                description=action.description,
                owner=action.owner,
                due_date=action.due_date,
            )
        )
    return decision.id
