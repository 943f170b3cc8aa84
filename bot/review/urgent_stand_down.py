""" "Stand down the urgent flag": a lead's record that a danger report was not an emergency, with a reason.

Issue #26: an ordinary answer ("he is angry and hurt about dad leaving") could raise a flag nobody could
undo. A lead of the case's team now stands it down, in their own words, kept verbatim; the flag messages
stay exactly as they were. The case stops counting as urgent (the leads' list, the reports, the suggested
next steps) until a later danger report, which raises it again: bot.store.repository.urgent_now.

Checked as every urgent-case write is, in the same order as "Record what you did" (bot.review.urgent_case).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.roles import Action
from bot.review.errors import LEADS_ONLY_STAND_DOWN
from bot.review.records import Viewer
from bot.review.short_forms import STAND_DOWN_FIELD, StandDownIn
from bot.review.unit import is_submitted
from bot.review.urgent_case import UrgentCaseUnit, UrgentWrite
from bot.store import repository
from bot.store.case_rows import CaseRow
from bot.store.urgent_writes import stand_down as write_stand_down

NOT_URGENT = "This case has no urgent flag to stand down. Nothing was saved."
CLOSED = "This case is closed. Reopen it, with a reason, to stand the flag down. Nothing was saved."
STANDING_DOWN = UrgentWrite(
    permission=Action.STAND_DOWN_URGENT_FLAGS,
    refused=AuditAction.CASE_STAND_DOWN_REFUSED,
    field=STAND_DOWN_FIELD,
    leads_only=LEADS_ONLY_STAND_DOWN,
    not_urgent=NOT_URGENT,
    closed=CLOSED,
    is_urgent=lambda session, assessment: repository.is_urgent_now(session, assessment.id),
)


class UrgentStandingDown(UrgentCaseUnit):
    def stand_down_urgent_flag(self, user_id: int, address: str, case_id: int, reason: str) -> None:
        """Stand down every danger report the case has so far, with the lead's reason exactly as typed."""

        def stand_down(session: Session, who: Viewer, assessment: CaseRow, checked: str) -> None:
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

        def checked_reason() -> str:  # checked only after scope and role
            return StandDownIn(stand_down_reason=reason).stand_down_reason

        self._on_urgent_case((user_id, address), case_id, STANDING_DOWN, checked_reason, stand_down)
