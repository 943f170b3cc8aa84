""" "Record what you did": a lead's own account of what they did about an urgent flag, kept verbatim.

Leads of the case's team only, on an urgent case in their scope (submitted or not), unless it is closed;
checked as every urgent-case write is (bot.review.urgent_case).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.roles import Action
from bot.review.errors import LEADS_ONLY_RESPONSE
from bot.review.records import Viewer
from bot.review.short_forms import RESPONSE_FIELD, UrgentResponseIn
from bot.review.unit import is_submitted
from bot.review.urgent_case import UrgentCaseUnit, UrgentWrite
from bot.store.case_rows import CaseRow
from bot.store.urgent_writes import add_urgent_response

NOT_URGENT = "This case has no urgent flag, so there is nothing to record against one. Nothing was saved."
CLOSED_FOR_RESPONSES = "This case is closed. Reopen it, with a reason, to record more. Nothing was saved."
RESPONDING = UrgentWrite(
    permission=Action.FOLLOW_URGENT_CASES,
    refused=AuditAction.CASE_URGENT_RESPONSE_REFUSED,
    field=RESPONSE_FIELD,
    leads_only=LEADS_ONLY_RESPONSE,
    not_urgent=NOT_URGENT,
    closed=CLOSED_FOR_RESPONSES,
    is_urgent=lambda _session, assessment: assessment.urgent,  # ever flagged: a stood-down flag was still one
)


class UrgentFollowUp(UrgentCaseUnit):
    def record_urgent_response(self, user_id: int, address: str, case_id: int, note: str) -> None:
        """Store what a lead did about an urgent flag, in their words, exactly as typed."""

        def respond(session: Session, who: Viewer, assessment: CaseRow, checked: str) -> None:
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

        def checked_note() -> str:  # checked only after scope and role
            return UrgentResponseIn(response=note).response

        self._on_urgent_case((user_id, address), case_id, RESPONDING, checked_note, respond)
