"""VAF tags on the evidence: a lead's reading aid, never a score (guardrail 1).

A lead of the case's team may tag an answer of a submitted live case with one or more dimensions and a short
note, and remove a tag (any lead of the team, not only the one who added it: the case is the team's).
Trainers may not tag, even the rehearsal cases they review (Action.TAG_EVIDENCE in bot.domain.roles), and
practitioners never see tags. A removed tag is kept with who removed it and when, and every change writes an
audit event holding ids and labels only, never the note.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError
from bot.domain.referral import is_read_only
from bot.domain.roles import Action, permits
from bot.review.errors import LEADS_ONLY, LeadsOnlyError
from bot.review.forms import TagIn, TagResult
from bot.review.records import Viewer
from bot.review.referrals import ReferralMoves
from bot.review.tag_checks import check_tag, is_question_id
from bot.review.unit import Refused, is_submitted, unwrap
from bot.store import current_answers, review_reads
from bot.store.case_rows import CaseRow
from bot.store.tag_writes import add_tag, mark_removed, tag_by_id

NO_SUCH_TAG = {"tag": "There is no tag with this number on this case."}
CLOSED_FOR_TAGS = (
    "This case is closed. Reopen it, with a reason, to change its evidence tags. Nothing was changed."
)


class EvidenceTagging(ReferralMoves):
    def tag_evidence(self, user_id: int, address: str, case_id: int, form: TagIn) -> TagResult:
        """Tag one answer's current revision with the dimensions chosen; a dimension it already has is left
        as it is (so posting the same form twice changes nothing). Bad input: an error and no change.

        Scope first, then role, then the form, so a case outside your scope is refused the same way whatever
        the form holds."""

        def tag(session: Session) -> TagResult | Refused:
            who = self._viewer(session, user_id, address)
            assessment = self._taggable_case(session, who, case_id)
            if isinstance(assessment, Refused):
                return assessment
            current = (
                current_answers.current_revision(session, assessment.id, form.question_id)
                if is_question_id(form.question_id)
                else None
            )
            checked = check_tag(form, current)
            self._open_for_tags(session, who, assessment)
            present = review_reads.active_dimensions(
                session, assessment.id, checked.question_id, checked.revision
            )
            added = tuple(d for d in checked.dimensions if d not in present)
            for dimension in added:
                tag_id = add_tag(
                    session,
                    assessment_id=assessment.id,
                    question_id=checked.question_id,
                    answer_revision=checked.revision,
                    dimension=dimension,
                    note=checked.note,
                    tagged_by=who.user_id,
                    tagged_at=self._clock(),
                )
                self._audit(
                    session,
                    who,
                    AuditAction.EVIDENCE_TAGGED,
                    assessment=assessment,
                    tag_id=tag_id,
                    question_id=checked.question_id,
                    answer_revision=checked.revision,
                    dimension=dimension,
                    has_note=checked.note is not None,
                )
            unchanged = tuple(d for d in checked.dimensions if d in present)
            return TagResult(checked.question_id, added, unchanged)

        try:
            return unwrap(self._write(tag))
        except IntegrityError:
            # Two posts of the same tag at once (PostgreSQL): the active-tag index let one in. Run again:
            # this time the first one's tag is there, and the request is the no-op it should be.
            return unwrap(self._write(tag))

    def remove_tag(self, user_id: int, address: str, case_id: int, tag_id: int) -> bool:
        """Mark a tag removed (kept, with who and when). False if it was already removed: nothing changes."""

        def remove(session: Session) -> bool | Refused:
            who = self._viewer(session, user_id, address)
            assessment = self._taggable_case(session, who, case_id)
            if isinstance(assessment, Refused):
                return assessment
            row = tag_by_id(session, tag_id)
            if row is None or row.assessment_id != assessment.id:
                # Another case's tag (perhaps outside the viewer's scope) is not reachable through this one.
                self._audit(session, who, AuditAction.CASE_TAG_REFUSED, assessment_id=case_id, tag_id=tag_id)
                return Refused(NotFoundError(NO_SUCH_TAG))
            if row.removed:
                return False
            self._open_for_tags(session, who, assessment)
            mark_removed(session, row.id, removed_by=who.user_id, removed_at=self._clock())
            self._audit(
                session,
                who,
                AuditAction.EVIDENCE_UNTAGGED,
                assessment=assessment,
                tag_id=row.id,
                question_id=row.question_id,
                answer_revision=row.answer_revision,
                dimension=row.dimension,
            )
            return True

        return unwrap(self._write(remove))

    def _taggable_case(self, session: Session, who: Viewer, case_id: int) -> CaseRow | Refused:
        """The case, if this viewer may change its tags; else a refusal (audited): "not found" outside their
        scope, as for every case, and "leads only" for a case they may open (a trainer's rehearsal case, a
        practitioner's own)."""
        assessment = review_reads.case_in_scope(session, who, case_id)
        if assessment is None:
            return self._refuse(session, who, case_id, AuditAction.CASE_TAG_REFUSED)
        if not permits(who.role, Action.TAG_EVIDENCE):
            self._audit(session, who, AuditAction.CASE_TAG_REFUSED, assessment=assessment, reason="role")
            return Refused(LeadsOnlyError({"case": LEADS_ONLY}))
        if not is_submitted(assessment):
            return self._refuse_unsubmitted(session, who, assessment, "tags")
        return assessment

    def _open_for_tags(self, session: Session, who: Viewer, assessment: CaseRow) -> None:
        """Tagging is reviewing: the referral is made (and put in review) as on a lead's first view. A
        closed case is not changed, tags included, until it is reopened with a reason."""
        referral = self._referral_for_review(
            session, who, assessment, review_reads.referral_of(session, assessment.id)
        )
        if is_read_only(referral.status):
            raise ConflictError({"status": CLOSED_FOR_TAGS})
