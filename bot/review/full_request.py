"""A lead asks for the full assessment after reading a Request for Support (issue #12, "from screening to
support").

A lead may ask before deciding or after (a lead who must refer to children's social care today decides on
the screening first): a decision stays on the case with its documents, and when the full assessment comes
back the lead may record a new one beside it (bot.review.decision_basis says which submission each was made
on). A full assessment is never sent back: this service and the state machine both refuse it.

The practitioner carries on in the same record: the assessment goes back to in progress at the first
exploratory question, every answer already given kept, and its submitted stage (`screening`) kept as history
until the full assessment is submitted. The referral waits for the practitioner (`awaiting_full`, the domain's
state machine) and goes back to `submitted` when they submit (bot.store.assessment_changes). The lead's
message is optional, kept exactly as typed as the reason of that move, and shown to the practitioner on their
home page; the notice itself holds only the reference and a link.

Checked in the usual order: scope and role (refusals audited, "not found" outside scope), then the message,
then the case's state. One transaction: the move, the reopening, the audit event and the notice commit
together or not at all.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.dialogue.moves import first_assessment_question
from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.positions import AtReview
from bot.domain.referral import NOT_A_REQUEST_FOR_SUPPORT, Move
from bot.domain.roles import Action, permits
from bot.domain.stages import SubmittedStage
from bot.review.referrals import ReferralMoves
from bot.review.short_forms import FullRequestIn
from bot.review.unit import Refused, is_submitted, unwrap
from bot.store import repository, review_reads
from bot.store.review_notices import enqueue_full_request_notice

ALREADY_ASKED = (
    "The practitioner is already completing the full assessment: it comes back to you when they submit it. "
    "Nothing was changed."
)


class FullAssessmentRequest(ReferralMoves):
    def ask_for_full_assessment(self, user_id: int, address: str, case_id: int, message: str) -> None:
        """Reopen a Request for Support for its practitioner to complete the full assessment."""

        def ask(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None or not permits(who.role, Action.REVIEW_CASES):
                return self._refuse(session, who, case_id, AuditAction.CASE_ASK_FULL_REFUSED)
            checked = FullRequestIn(message=message).given
            if not is_submitted(assessment):
                raise ConflictError({"status": ALREADY_ASKED})
            if assessment.submitted_stage != SubmittedStage.SCREENING:
                raise ConflictError({"status": NOT_A_REQUEST_FOR_SUPPORT})
            referral = self._referral_for_review(
                session, who, assessment, review_reads.referral_of(session, case_id)
            )
            self._move(session, who, referral, Move.ASK_FULL, checked, screening_only=True)
            now = self._clock()
            answers = repository.assessment_record(session, assessment).answer_values()
            first = first_assessment_question(self._bank, answers)
            assessment.status = AssessmentStatus.IN_PROGRESS
            assessment.full_requested_at = now
            assessment.updated_at = now
            assessment.current_question_id = first.id if first is not None else AtReview().stored()
            self._audit(
                session,
                who,
                AuditAction.FULL_ASSESSMENT_REQUESTED,
                assessment=assessment,
                referral_id=referral.id,
                with_message=checked is not None,
                resumes_at=assessment.current_question_id,
            )
            enqueue_full_request_notice(session, assessment, now)
            return None

        unwrap(self._write(ask))
