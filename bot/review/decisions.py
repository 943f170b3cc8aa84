"""Recording a decision on a case, and closing or reopening it: the referral's moves a reviewer makes.

The form is checked only after the scope check, so a case outside your scope is refused the same way
whatever the form holds (the reply must not differ by whether the case exists). Which moves are allowed from
which status is the domain's state machine (bot.domain.referral), not restated here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.referral import Move, target
from bot.domain.roles import Action, permits
from bot.review.decision_checks import check_decision
from bot.review.forms import DecisionIn
from bot.review.referrals import ReferralMoves, require
from bot.review.short_forms import ReopenIn
from bot.review.unit import Refused, is_submitted, unwrap
from bot.store import review_reads
from bot.store.decision_writes import add_decision
from bot.store.review_notices import enqueue_decision_notice


class DecisionRecording(ReferralMoves):
    def record_decision(self, user_id: int, address: str, case_id: int, form: DecisionIn) -> None:
        """Store the decision and move the referral to decided; if incomplete, ValidationError, no change."""

        def decide(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None or not permits(who.role, Action.REVIEW_CASES):
                return self._refuse(session, who, case_id, AuditAction.CASE_DECISION_REFUSED)
            if not is_submitted(assessment):
                return self._refuse_unsubmitted(session, who, assessment, "decision")
            checked = check_decision(form, today=self._clock().date())
            referral = self._referral_for_review(
                session, who, assessment, review_reads.referral_of(session, case_id)
            )
            require(referral, Move.DECIDE)
            decided_at = self._clock()
            decision_id = add_decision(
                session,
                referral_id=referral.id,
                decided_by=who.user_id,
                decided_at=decided_at,
                fields=checked,
            )
            self._move(session, who, referral, Move.DECIDE)
            self._audit(
                session,
                who,
                AuditAction.DECISION_RECORDED,
                assessment=assessment,
                decision_id=decision_id,
                pathways=[chosen.key for chosen in checked.pathways],
                lawful_bases=list(checked.lawful_bases),
                consent=checked.consent,
                actions=len(checked.actions),
            )
            # The practitioner hears of it (issue #26): in this transaction, by the urgent notices' outbox;
            # the notice says a decision or feedback is there, never what it says.
            enqueue_decision_notice(
                session, assessment, feedback=checked.feedback is not None, now=decided_at
            )
            return None

        unwrap(self._write(decide))

    def close_case(self, user_id: int, address: str, case_id: int) -> None:
        self._change_status(user_id, address, case_id, Move.CLOSE, lambda: None)

    def reopen_case(self, user_id: int, address: str, case_id: int, reason: str) -> None:
        self._change_status(user_id, address, case_id, Move.REOPEN, lambda: ReopenIn(reason=reason).reason)

    def _change_status(
        self, user_id: int, address: str, case_id: int, move: Move, reason: Callable[[], str | None]
    ) -> None:
        """Move the referral; `reason` is read (and checked) only once the case is known to be in scope."""

        def change(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None or not permits(who.role, Action.REVIEW_CASES):
                return self._refuse(session, who, case_id, AuditAction.CASE_CHANGE_REFUSED)
            if not is_submitted(assessment):
                return self._refuse_unsubmitted(session, who, assessment, target(move).value)
            referral = self._referral_for_review(
                session, who, assessment, review_reads.referral_of(session, case_id)
            )
            require(referral, move)
            self._move(session, who, referral, move, reason())
            return None

        unwrap(self._write(change))
