"""Linking a referral to the council's case record, assigning it to a named lead, and reading the child's
chronology (issue #12), each in one transaction with its audit event.

Checked in the order every review change is: scope first (a case outside it is "not found", audited), then
the permission (Action.LINK_CASE_RECORDS or Action.ASSIGN_CASES: leads), then that the case has reached the
queue (submitted, or sent back for the full assessment), then the form. Bad input raises ValidationError and
changes nothing; the refusal of a lead who may not is audited. The case-record ID identifies the child, so it
goes into the audit trail (the trail is the lead's own record of who linked what) but never into a notice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ValidationError
from bot.domain.roles import Action, permits, roles_permitted
from bot.questions import QuestionBank
from bot.review.case_records import CASE_RECORD_FORMAT
from bot.review.chronology import ChildView, chronology_of
from bot.review.errors import LEADS_ONLY_LINKS, LeadsOnlyError
from bot.review.records import Viewer
from bot.review.referrals import ReferralMoves
from bot.review.unit import Refused, is_submitted, unwrap
from bot.store import referral_writes, review_reads
from bot.store.case_rows import CaseRow
from bot.store.review_notices import enqueue_assignment_notice
from bot.store.review_rows import ReferralRow
from bot.tracker.database import TrackerPlace

REFUSED = AuditAction.CASE_LINK_REFUSED
ASSIGNEE_FIELD = "assignee"
NOBODY = ""  # the assignment form's "Not assigned"


def team_leads(session: Session, team_id: int) -> list[tuple[int, str]]:
    """The active people of a team a referral may be assigned to (those who may assign: leads), by name."""
    return review_reads.team_leads(session, team_id, roles_permitted(Action.ASSIGN_CASES))


def child_view(
    session: Session,
    bank: QuestionBank,
    who: Viewer,
    referral: ReferralRow,
    tracker_db: TrackerPlace | None = None,
) -> ChildView:
    """What the case page shows a lead of the referral's link and assignment, with the chronology of every
    referral of the viewer's scope linked to the same case record (its answers linked to their transcript
    turns, read from `tracker_db`)."""
    leads = tuple(team_leads(session, who.team_id))
    assigned = dict(leads).get(referral.assigned_to_id) if referral.assigned_to_id is not None else None
    if referral.assigned_to_id is not None and assigned is None:  # a lead since moved or made inactive
        assigned = review_reads.usernames(session, [referral.assigned_to_id]).get(referral.assigned_to_id)
    found = (
        chronology_of(session, bank, who, referral.case_record_id, tracker_db)
        if referral.case_record_id is not None
        else None
    )
    return ChildView(
        case_record_id=referral.case_record_id,
        assigned_to_id=referral.assigned_to_id,
        assigned_to=assigned,
        assigned_at=referral.assigned_at,
        leads=leads,
        chronology=found,
    )


class ChildLinks(ReferralMoves):
    def link_case_record(self, user_id: int, address: str, case_id: int, typed: str) -> str:
        """Store the case-record ID on the case's referral; returns it as stored."""

        def link(session: Session) -> Refused | str:
            found = self._referral_to_change(session, user_id, address, case_id, Action.LINK_CASE_RECORDS)
            if isinstance(found, Refused):
                return found
            who, assessment, referral = found
            checked = CASE_RECORD_FORMAT.read(typed)
            lookup, replaced = referral_writes.set_case_record(session, referral, checked)
            self._audit(
                session,
                who,
                AuditAction.CASE_RECORD_LINKED,
                assessment=assessment,
                referral_id=referral.id,
                # The trail names the child's record by its lookup digest, never the ID itself (issue #31):
                # the detail is plain and hash-chained, so it could never be sealed or rewritten later.
                case_record_lookup=lookup,
                replaced_lookup=replaced,
            )
            return checked

        return unwrap(self._write(link))

    def unlink_case_record(self, user_id: int, address: str, case_id: int) -> bool:
        """Take the case-record ID off the referral; False (and nothing changed) if it had none."""

        def unlink(session: Session) -> Refused | bool:
            found = self._referral_to_change(session, user_id, address, case_id, Action.LINK_CASE_RECORDS)
            if isinstance(found, Refused):
                return found
            who, assessment, referral = found
            if referral.case_record_id is None:
                return False
            _none, replaced = referral_writes.set_case_record(session, referral, None)
            self._audit(
                session,
                who,
                AuditAction.CASE_RECORD_UNLINKED,
                assessment=assessment,
                referral_id=referral.id,
                case_record_lookup=replaced,  # the digest, never the ID (see above)
            )
            return True

        return unwrap(self._write(unlink))

    def assign_case(self, user_id: int, address: str, case_id: int, assignee: str) -> int | None:
        """Assign the referral to a lead of its team (by user id as the form sends it), or to nobody ("");
        returns who it is assigned to now."""

        def assign(session: Session) -> Refused | int | None:
            found = self._referral_to_change(session, user_id, address, case_id, Action.ASSIGN_CASES)
            if isinstance(found, Refused):
                return found
            who, assessment, referral = found
            chosen: int | None = None
            if assignee.strip() != NOBODY:
                leads = dict(team_leads(session, assessment.team_id))
                text = assignee.strip()
                chosen = int(text) if text.isdecimal() and len(text) < 10 else None
                if chosen not in leads:
                    raise ValidationError({ASSIGNEE_FIELD: "Choose a lead of this case's team from the list"})
            if chosen == referral.assigned_to_id:
                return chosen
            before = referral.assigned_to_id
            referral_writes.assign(session, referral, chosen, self._clock() if chosen is not None else None)
            self._audit(
                session,
                who,
                AuditAction.CASE_ASSIGNED if chosen is not None else AuditAction.CASE_UNASSIGNED,
                assessment=assessment,
                referral_id=referral.id,
                assigned_to=chosen,
                before=before,
            )
            if chosen is not None and chosen != who.user_id:
                # Someone else's work now: they hear of it (reference and link only); one's own needs none.
                enqueue_assignment_notice(session, assessment, chosen, self._clock())
            return chosen

        return unwrap(self._write(assign))

    def _referral_to_change(
        self, session: Session, user_id: int, address: str, case_id: int, action: Action
    ) -> Refused | tuple[Viewer, CaseRow, ReferralRow]:
        who = self._viewer(session, user_id, address)
        assessment = review_reads.case_in_scope(session, who, case_id)
        if assessment is None:
            return self._refuse(session, who, case_id, REFUSED)
        if not permits(who.role, action):
            # A trainer on their team's rehearsal case: the case is theirs to see, the change a lead's.
            self._audit(session, who, REFUSED, assessment=assessment, reason="role", attempted=action.name)
            return Refused(LeadsOnlyError({"case": LEADS_ONLY_LINKS}))
        referral = review_reads.referral_of(session, assessment.id)
        if referral is None:
            # An urgent case still being written is no referral yet (bot.review.case_reading).
            if not is_submitted(assessment):
                return self._refuse_unsubmitted(session, who, assessment, action.name.lower())
            referral = self._referral_for_review(session, who, assessment, referral)
        return who, assessment, referral
