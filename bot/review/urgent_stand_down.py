""" "Stand down the urgent flag": a lead's record that a danger report was not an emergency, with a reason.

Issue #26: an ordinary answer ("he is angry and hurt about dad leaving") could raise a flag nobody could
undo. A lead of the case's team now stands it down, in their own words, kept verbatim; the flag messages
stay exactly as they were. The case stops counting as urgent (the leads' list, the reports, the suggested
next steps) until a later danger report, which raises it again: bot.store.repository.urgent_now.

Checked in the same order as "Record what you did" (bot.review.urgent_follow_up): scope, then role, then the
text, then the case's state. Refusals are audited; bad text saves nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.referral import is_read_only
from bot.domain.roles import Action, permits
from bot.review.errors import LEADS_ONLY_STAND_DOWN, LeadsOnlyError
from bot.review.records import Viewer
from bot.review.short_forms import STAND_DOWN_FIELD, StandDownIn
from bot.review.unit import Refused, ReviewUnit, is_submitted, unwrap
from bot.store import repository, review_reads
from bot.store.case_rows import CaseRow
from bot.store.urgent_writes import stand_down as write_stand_down

NOT_URGENT = "This case has no urgent flag to stand down. Nothing was saved."
CLOSED = "This case is closed. Reopen it, with a reason, to stand the flag down. Nothing was saved."
_REFUSALS: dict[str, tuple[type[LeadsOnlyError] | type[ConflictError], str]] = {
    "role": (LeadsOnlyError, LEADS_ONLY_STAND_DOWN),
    "not_urgent": (ConflictError, NOT_URGENT),
    "closed": (ConflictError, CLOSED),
}


class UrgentStandingDown(ReviewUnit):
    def stand_down_urgent_flag(self, user_id: int, address: str, case_id: int, reason: str) -> None:
        """Stand down every danger report the case has so far, with the lead's reason exactly as typed."""

        def stand_down(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, AuditAction.CASE_STAND_DOWN_REFUSED)
            if not permits(who.role, Action.STAND_DOWN_URGENT_FLAGS):
                return self._refuse_stand_down(session, who, assessment, "role")
            checked = StandDownIn(stand_down_reason=reason).stand_down_reason
            if not repository.is_urgent_now(session, assessment.id):
                return self._refuse_stand_down(session, who, assessment, "not_urgent")
            referral = review_reads.referral_of(session, assessment.id) if is_submitted(assessment) else None
            if referral is not None and is_read_only(referral.status):
                return self._refuse_stand_down(session, who, assessment, "closed")
            stand_down_id, latest_flag = write_stand_down(
                session,
                assessment_id=assessment.id,
                stood_down_by=who.user_id,
                reason=checked,
                stood_down_at=self._clock(),
            )
            self._audit(
                session,
                who,
                AuditAction.URGENT_STOOD_DOWN,
                assessment=assessment,
                stand_down_id=stand_down_id,
                through_flag_id=latest_flag,
                submitted=is_submitted(assessment),
            )
            return None

        unwrap(self._write(stand_down))

    def _refuse_stand_down(self, session: Session, who: Viewer, assessment: CaseRow, reason: str) -> Refused:
        self._audit(session, who, AuditAction.CASE_STAND_DOWN_REFUSED, assessment=assessment, reason=reason)
        error, message = _REFUSALS[reason]
        return Refused(error({STAND_DOWN_FIELD: message}))
