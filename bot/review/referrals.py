"""Making and moving a case's referral, through the domain's state machine (bot.domain.referral).

Referral rows are made lazily, when a lead or trainer first opens a submitted assessment, rather than by the
submit path. Why: the submit path belongs to the store and the action server, and must stay fast and
independent of the review; the list treats "no referral yet" as "submitted", so a case appears in the queue
the moment it is submitted; and assessments submitted before the review existed get a referral the same way.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.referral import Move, MoveRefused, allows, move
from bot.review.records import Viewer
from bot.review.unit import ReviewUnit
from bot.store.case_rows import CaseRow
from bot.store.referral_writes import create_referral, record_move
from bot.store.review_rows import ReferralRow


def require(referral: ReferralRow, move_: Move, *, screening_only: bool = False) -> None:
    """ConflictError, with the message for the person who tried, unless the referral allows `move_`
    (`screening_only`: the case is a Request for Support, which a screening-only move needs)."""
    try:
        move(referral.status, move_, screening_only=screening_only)
    except MoveRefused as refused:
        raise ConflictError({"status": refused.message}) from None


class ReferralMoves(ReviewUnit):
    def _referral_for_review(
        self, session: Session, who: Viewer, assessment: CaseRow, referral: ReferralRow | None
    ) -> ReferralRow:
        """The case's referral, made if this is its first review, and in review if it was only submitted."""
        if referral is None:
            referral = create_referral(
                session,
                assessment_id=assessment.id,
                practitioner_id=assessment.practitioner_id,
                submitted_at=assessment.submitted_at,
                now=self._clock(),
            )
            self._audit(
                session, who, AuditAction.REFERRAL_CREATED, assessment=assessment, referral_id=referral.id
            )
        if allows(referral.status, Move.OPEN):
            self._move(session, who, referral, Move.OPEN)
        return referral

    def _move(
        self,
        session: Session,
        who: Viewer,
        referral: ReferralRow,
        move_: Move,
        reason: str | None = None,
        *,
        screening_only: bool = False,
    ) -> None:
        require(referral, move_, screening_only=screening_only)
        to_status = move(referral.status, move_, screening_only=screening_only).value
        from_status = referral.status
        record_move(
            session,
            referral,
            to_status=to_status,
            reason=reason,
            changed_by=who.user_id,
            changed_at=self._clock(),
        )
        self._audit(
            session,
            who,
            AuditAction.REFERRAL_STATUS_CHANGED,
            assessment_id=referral.assessment_id,
            referral_id=referral.id,
            from_status=from_status,
            to_status=to_status,
        )
