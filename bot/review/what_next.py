""" "What happened next" on a case (issue #12): the information-sharing log, outcomes per pathway and review
dates, each recorded by a reviewer of the case (the same people who may decide: Action.REVIEW_CASES).

Checked in the order the decision is: scope first (a case outside it is "not found", audited), then role, then
that the case was submitted, then the form; bad input raises ValidationError and saves nothing. Entries are
never edited or deleted: a correction is a new entry naming the one it corrects. Recording stays open on a
closed case, because outcomes and Channel reviews arrive months after the decision.

An outcome whose data says so (Channel support ended: 6 and 12 months) sets the case's reviews in the same
transaction; a date the case already has is not set twice (one review, one reminder).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.pathways import PATHWAY_BY_KEY
from bot.domain.roles import Action, permits
from bot.review.next_checks import check_outcome, check_sharing
from bot.review.next_records import OutcomeIn, PathwayChoice, SharingIn
from bot.review.records import Viewer
from bot.review.review_dates import add_months
from bot.review.short_forms import ReviewDateIn
from bot.review.unit import Refused, ReviewUnit, is_submitted, unwrap
from bot.store import next_writes, review_reads
from bot.store.case_rows import CaseRow
from bot.store.review_rows import ReferralRow

REFUSED = AuditAction.CASE_NEXT_REFUSED


def standing_pathways(session: Session, referral: ReferralRow | None) -> tuple[PathwayChoice, ...]:
    """The pathways of the referral's latest decision (the standing one), in the lead's order."""
    decisions = review_reads.decisions_of(session, referral.id) if referral else []
    if not decisions:
        return ()
    rows = review_reads.pathways_of(session, [decisions[0].id])[decisions[0].id]
    return tuple(PathwayChoice(row.id, row.pathway) for row in rows)


class WhatHappenedNext(ReviewUnit):
    def record_sharing(self, user_id: int, address: str, case_id: int, form: SharingIn) -> int:
        """Add one entry to the case's information-sharing log; returns its id."""

        def record(session: Session) -> Refused | int:
            found = self._case_for_next(session, user_id, address, case_id, "sharing")
            if isinstance(found, Refused):
                return found
            who, assessment, referral = found
            earlier = next_writes.sharing_ids(session, assessment.id)
            checked = check_sharing(
                form,
                today=self._clock().date(),
                pathways=standing_pathways(session, referral),
                earlier=earlier,
            )
            sharing_id = next_writes.add_sharing(
                session,
                assessment_id=assessment.id,
                shared_what=checked.shared_what,
                recipient=checked.recipient,
                partner=checked.partner,
                shared_on=checked.shared_on,
                method=checked.method,
                lawful_basis=checked.lawful_basis,
                decision_pathway_id=checked.pathway.id if checked.pathway else None,
                corrects_id=checked.corrects,
                recorded_by=who.user_id,
                recorded_at=self._clock(),
            )
            # Ids and vocabulary keys only: what was shared is in the log itself, not the audit trail.
            self._audit(
                session,
                who,
                AuditAction.SHARING_RECORDED,
                assessment=assessment,
                sharing_id=sharing_id,
                method=checked.method,
                lawful_basis=checked.lawful_basis,
                partner=checked.partner,
                corrects_id=checked.corrects,
            )
            return sharing_id

        return unwrap(self._write(record))

    def record_outcome(self, user_id: int, address: str, case_id: int, form: OutcomeIn) -> int:
        """Record what happened on one pathway of the standing decision; returns the outcome's id."""

        def record(session: Session) -> Refused | int:
            found = self._case_for_next(session, user_id, address, case_id, "outcome")
            if isinstance(found, Refused):
                return found
            who, assessment, referral = found
            earlier = next_writes.outcome_ids(session, assessment.id)
            checked = check_outcome(
                form,
                today=self._clock().date(),
                pathways=standing_pathways(session, referral),
                earlier=earlier,
            )
            outcome_id = next_writes.add_outcome(
                session,
                assessment_id=assessment.id,
                decision_pathway_id=checked.pathway.id,
                pathway=checked.pathway.key,
                outcome=checked.outcome,
                outcome_on=checked.outcome_on,
                note=checked.note,
                corrects_id=checked.corrects,
                recorded_by=who.user_id,
                recorded_at=self._clock(),
            )
            outcome = PATHWAY_BY_KEY[checked.pathway.key].outcome(checked.outcome)
            if outcome is None:  # check_outcome refused it; explicit, as `python -O` strips asserts
                raise AssertionError("unreachable: an outcome the pathway does not have")
            reviews = [add_months(checked.outcome_on, months) for months in outcome.reviews_after_months]
            added = [
                when
                for when in reviews
                if self._add_review(session, who.user_id, assessment, when, outcome_id)
            ]
            self._audit(
                session,
                who,
                AuditAction.OUTCOME_RECORDED,
                assessment=assessment,
                outcome_id=outcome_id,
                pathway=checked.pathway.key,
                outcome=checked.outcome,
                corrects_id=checked.corrects,
                reviews_set=[when.isoformat() for when in added],
            )
            return outcome_id

        return unwrap(self._write(record))

    def set_review(self, user_id: int, address: str, case_id: int, review_on: str) -> date:
        """Add a review date to the case (a date it already has is left as it is); returns the date."""

        def record(session: Session) -> Refused | date:
            found = self._case_for_next(session, user_id, address, case_id, "review")
            if isinstance(found, Refused):
                return found
            who, assessment, _referral = found
            when = ReviewDateIn.on(self._clock().date(), review_on=review_on).review_on
            added = self._add_review(session, who.user_id, assessment, when, None)
            self._audit(
                session,
                who,
                AuditAction.REVIEW_SET,
                assessment=assessment,
                due_on=when.isoformat(),
                added=added,
            )
            return when

        return unwrap(self._write(record))

    def _add_review(
        self, session: Session, user_id: int, assessment: CaseRow, when: date, outcome_id: int | None
    ) -> bool:
        return next_writes.add_review(
            session,
            assessment_id=assessment.id,
            due_on=when,
            outcome_id=outcome_id,
            set_by=user_id,
            set_at=self._clock(),
        )

    def _case_for_next(
        self, session: Session, user_id: int, address: str, case_id: int, attempted: str
    ) -> Refused | tuple[Viewer, CaseRow, ReferralRow | None]:
        who = self._viewer(session, user_id, address)
        assessment = review_reads.case_in_scope(session, who, case_id)
        if assessment is None or not permits(who.role, Action.REVIEW_CASES):
            return self._refuse(session, who, case_id, REFUSED)
        if not is_submitted(assessment):
            return self._refuse_unsubmitted(session, who, assessment, attempted)
        return who, assessment, review_reads.referral_of(session, assessment.id)
