"""A lead's write on an urgent case, checked one way: "Record what you did" (bot.review.urgent_follow_up) and
"Stand down the urgent flag" (bot.review.urgent_stand_down) differ only in what they permit, what counts as
urgent, their wording and what they write.

The order is the same for both: scope first, then role, then the text, then the case's state (urgent, and
not closed), so a case outside your scope is refused the same way whatever the form holds. Every refusal is
audited; bad text saves nothing. The write and its audit event share the one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.referral import is_read_only
from bot.domain.roles import Action, permits
from bot.review.errors import LeadsOnlyError
from bot.review.records import Viewer
from bot.review.unit import Refused, ReviewUnit, is_submitted, unwrap
from bot.store import review_reads
from bot.store.case_rows import CaseRow


@dataclass(frozen=True)
class UrgentWrite:
    """What one kind of urgent-case write permits, refuses and says."""

    permission: Action
    refused: AuditAction  # the audit event of every refusal, with its reason
    field: str  # the form field a refusal is shown against
    leads_only: str
    not_urgent: str
    closed: str
    is_urgent: Callable[[Session, CaseRow], bool]


# What the write does once every check has passed, with the checked text: its rows, then its audit event.
Writer = Callable[[Session, Viewer, CaseRow, str], None]


class UrgentCaseUnit(ReviewUnit):
    def _on_urgent_case(
        self,
        who_asks: tuple[int, str],
        case_id: int,
        kind: UrgentWrite,
        checked_text: Callable[[], str],
        writer: Writer,
    ) -> None:
        """Find the case in the lead's scope (`who_asks`: user id and address), check the role, the text
        (`checked_text` raises on bad text) and the case's state, then write; a refusal is audited and
        raised after its audit event has been committed."""
        user_id, address = who_asks

        def run(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, kind.refused)
            if not permits(who.role, kind.permission):
                return self._refuse_urgent(session, who, assessment, kind, "role")
            text = checked_text()
            if not kind.is_urgent(session, assessment):
                return self._refuse_urgent(session, who, assessment, kind, "not_urgent")
            referral = review_reads.referral_of(session, assessment.id) if is_submitted(assessment) else None
            if referral is not None and is_read_only(referral.status):
                return self._refuse_urgent(session, who, assessment, kind, "closed")
            writer(session, who, assessment, text)
            return None

        unwrap(self._write(run))

    def _refuse_urgent(
        self, session: Session, who: Viewer, assessment: CaseRow, kind: UrgentWrite, reason: str
    ) -> Refused:
        self._audit(session, who, kind.refused, assessment=assessment, reason=reason)
        if reason == "role":
            return Refused(LeadsOnlyError({kind.field: kind.leads_only}))
        message = kind.not_urgent if reason == "not_urgent" else kind.closed
        return Refused(ConflictError({kind.field: message}))
