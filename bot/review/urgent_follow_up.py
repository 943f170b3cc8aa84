""" "Record what you did": a lead's own account of what they did about an urgent flag, kept verbatim.

Leads of the case's team only, on an urgent case in their scope (submitted or not), unless it is closed.
Scope first, then role, then the text, then the case's state, so a case outside your scope is refused the
same way whatever the form holds. Refusals are audited; bad text saves nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.referral import is_read_only
from bot.domain.roles import Action, permits
from bot.review.errors import LEADS_ONLY_RESPONSE, LeadsOnlyError
from bot.review.records import Viewer
from bot.review.short_forms import RESPONSE_FIELD, UrgentResponseIn
from bot.review.unit import Refused, ReviewUnit, is_submitted, unwrap
from bot.store import review_reads
from bot.store.case_rows import CaseRow
from bot.store.urgent_writes import add_urgent_response

NOT_URGENT = "This case has no urgent flag, so there is nothing to record against one. Nothing was saved."
CLOSED_FOR_RESPONSES = "This case is closed. Reopen it, with a reason, to record more. Nothing was saved."
_REFUSALS: dict[str, tuple[type[LeadsOnlyError] | type[ConflictError], str]] = {
    "role": (LeadsOnlyError, LEADS_ONLY_RESPONSE),
    "not_urgent": (ConflictError, NOT_URGENT),
    "closed": (ConflictError, CLOSED_FOR_RESPONSES),
}


class UrgentFollowUp(ReviewUnit):
    def record_urgent_response(self, user_id: int, address: str, case_id: int, note: str) -> None:
        """Store what a lead did about an urgent flag, in their words, exactly as typed."""

        def respond(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, AuditAction.CASE_URGENT_RESPONSE_REFUSED)
            if not permits(who.role, Action.FOLLOW_URGENT_CASES):
                return self._refuse_response(session, who, assessment, "role")
            checked = UrgentResponseIn(response=note).response
            if not assessment.urgent:
                return self._refuse_response(session, who, assessment, "not_urgent")
            referral = review_reads.referral_of(session, assessment.id) if is_submitted(assessment) else None
            if referral is not None and is_read_only(referral.status):
                return self._refuse_response(session, who, assessment, "closed")
            response_id = add_urgent_response(
                session,
                assessment_id=assessment.id,
                responded_by=who.user_id,
                note=checked,
                recorded_at=self._clock(),
            )
            self._audit(
                session,
                who,
                AuditAction.URGENT_RESPONSE_RECORDED,
                assessment=assessment,
                response_id=response_id,
                submitted=is_submitted(assessment),
            )
            return None

        unwrap(self._write(respond))

    def _refuse_response(self, session: Session, who: Viewer, assessment: CaseRow, reason: str) -> Refused:
        self._audit(
            session, who, AuditAction.CASE_URGENT_RESPONSE_REFUSED, assessment=assessment, reason=reason
        )
        error, message = _REFUSALS[reason]
        return Refused(error({RESPONSE_FIELD: message}))
