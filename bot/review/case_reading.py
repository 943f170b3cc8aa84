"""Reading cases: the lead's case list, the case page, the transcript, and the exports, each audited.

Every reading goes through the one case document (bot.review.case_document): the page adds only the case's
access history and what the viewer may do now, and the exports render the document as it is.

An urgent case reaches its team's leads before it is submitted (issue #9): a lead can open it and read the
danger reports and everything answered so far. It is not a referral yet: opening it makes no referral row.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.lifecycle import Mode
from bot.domain.records import Actor
from bot.domain.referral import Move, ReferralStatus, allows, is_read_only
from bot.domain.roles import Action, permits, visible_modes
from bot.domain.stages import SubmittedStage
from bot.review import case_details, case_document, subject_access
from bot.review.child_links import child_view
from bot.review.document_basis import basis_of
from bot.review.documents import documents_made
from bot.review.links import links_of
from bot.review.records import (
    EVERYTHING,
    WAITING_STATUSES,
    CaseDocument,
    CaseFilters,
    CaseList,
    CaseSummary,
    CaseView,
    LinkedCase,
    Viewer,
)
from bot.review.referrals import ReferralMoves
from bot.review.unit import Refused, is_submitted, unwrap
from bot.review.views import history_event, summary
from bot.store import case_list, repository, review_reads
from bot.store.case_rows import CaseRow
from bot.store.retention import HoldState, active_hold
from bot.store.review_rows import ReferralRow
from bot.store.unit_of_work import UnitOfWork

PAGE_SIZE = 25


class CaseReading(ReferralMoves):
    def list_cases(self, user_id: int, address: str, filters: CaseFilters) -> CaseList:
        def list_(session: Session) -> CaseList:
            who = self._viewer(session, user_id, address)
            rows = case_list.list_cases(session, who, filters, PAGE_SIZE)
            shown = [*rows.pinned, *rows.page]
            total = rows.pinned_total + rows.submitted_total
            links = links_of(session, [row[0] for row in shown])
            names = review_reads.usernames(session, [row[4] for row in shown])
            now = self._clock()
            self._audit(
                session,
                who,
                AuditAction.CASE_LIST_VIEWED,
                shown=len(shown),
                total=total,
                urgent_unsubmitted=rows.urgent_unsubmitted,
            )
            return CaseList(
                cases=tuple(
                    _with_links(_waiting(summary(*row[:4]), row[4], names, now, who), links) for row in shown
                ),
                total=total,
                page=filters.page,
                pages=max(1, -(-rows.submitted_total // PAGE_SIZE)),
                modes=visible_modes(who.role),
                pinned=len(rows.pinned),
                pinned_total=rows.pinned_total,
                urgent_unsubmitted=rows.urgent_unsubmitted,
            )

        return self._write(list_)

    def open_case(self, user_id: int, address: str, case_id: int) -> CaseView:
        """The case page; a reviewer's first view moves the referral from submitted to in review."""

        def open_(session: Session) -> CaseView | Refused:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, AuditAction.CASE_VIEW_REFUSED)
            referral = review_reads.referral_of(session, assessment.id)
            if permits(who.role, Action.REVIEW_CASES) and is_submitted(assessment):
                # An urgent case still in progress is no referral yet: it gets one once submitted.
                referral = self._referral_for_review(session, who, assessment, referral)
            self._audit(
                session,
                who,
                AuditAction.CASE_VIEWED,
                assessment=assessment,
                submitted=is_submitted(assessment),
            )
            session.flush()
            view = self._case_view(session, who, assessment, referral)
            if referral is None or not permits(who.role, Action.LINK_CASE_RECORDS):
                return view
            child = child_view(session, self._bank, who, referral, self._tracker_db)
            if child.chronology is not None:
                self._audit(
                    session,
                    who,
                    AuditAction.CHRONOLOGY_VIEWED,
                    assessment=assessment,
                    case_record_id=child.case_record_id,
                    cases=[case.id for case in child.chronology.cases],
                )
            return replace(view, child=child)

        return unwrap(self._write(open_))

    def open_transcript(self, user_id: int, address: str, case_id: int) -> CaseView:
        """The case with its transcript; audited as a transcript view, with the same scope as the case."""

        def open_(session: Session) -> CaseView | Refused:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, AuditAction.TRANSCRIPT_VIEW_REFUSED)
            self._audit(session, who, AuditAction.TRANSCRIPT_VIEWED, assessment=assessment)
            session.flush()
            return self._case_view(session, who, assessment, review_reads.referral_of(session, assessment.id))

        return unwrap(self._write(open_))

    def export_case(self, user_id: int, address: str, case_id: int, format_: str) -> CaseDocument:
        """The case document for an export, audited with its format; what the viewer may read only."""

        def export_(session: Session) -> CaseDocument | Refused:
            who = self._viewer(session, user_id, address)
            assessment = review_reads.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, AuditAction.CASE_EXPORT_REFUSED)
            referral = review_reads.referral_of(session, assessment.id)
            audience = case_document.audience_of(who)
            document = self._document(session, assessment, referral, audience)
            # Issue #12: a lead's export carries the case-record ID and the child's chronology; nobody else's.
            child = (
                child_view(session, self._bank, who, referral, self._tracker_db)
                if referral is not None and permits(who.role, Action.LINK_CASE_RECORDS)
                else None
            )
            self._audit(
                session,
                who,
                AuditAction.CASE_EXPORTED,
                assessment=assessment,
                format=format_,
                case_record_id=child.case_record_id if child is not None else None,
                chronology_cases=[case.id for case in child.chronology.cases]
                if child is not None and child.chronology is not None
                else [],
            )
            return replace(document, child=child)

        return unwrap(self._write(export_))

    def export_for_cli(
        self, actor: Actor, conversation_id: str | None, assessment_id: str | None, format_: str
    ) -> CaseDocument:
        """The whole case for `bot assessments export` (an administrator on the server, not a page user)."""

        def export_(session: Session) -> CaseDocument:
            assessment = _find_for_cli(session, conversation_id, assessment_id)
            UnitOfWork(session, actor, self._clock).audit(
                AuditAction.ASSESSMENT_EXPORTED, assessment=assessment, format=format_
            )
            return self._document(
                session, assessment, review_reads.referral_of(session, assessment.id), EVERYTHING
            )

        return self._write(export_)

    def export_subject_access(
        self, actor: Actor, reference: str | None, person: str | None
    ) -> subject_access.SubjectAccess:
        """`bot case export-sar` (bot.review.subject_access): every live case the request covers, whole,
        audited on each case in the same transaction. NotFoundError when none is found; ValidationError for a
        practice run or a blank name."""

        def export(session: Session) -> subject_access.SubjectAccess:
            if reference is not None:
                found = repository.assessment_by_reference(session, reference.strip().upper())
                if found is None:
                    raise NotFoundError({"reference": f"no case with reference {reference}"})
                if found.mode != Mode.LIVE:
                    raise ValidationError(
                        {"reference": subject_access.PRACTICE_REFUSED.format(found.reference)}
                    )
                assessments = [found]
            else:
                if not (person or "").strip():
                    raise ValidationError(
                        {"person": "give the person's name as the case's details record it"}
                    )
                assessments = case_details.live_cases_naming(session, person or "")
                if not assessments:
                    raise NotFoundError({"person": f"no live case's identifying details name {person!r}"})
            unit = UnitOfWork(session, actor, self._clock)
            cases = []
            for assessment in assessments:
                unit.audit(
                    AuditAction.SUBJECT_ACCESS_EXPORTED, assessment=assessment, by_name=person is not None
                )
                history = review_reads.history_of(session, assessment.id)
                cases.append(
                    subject_access.SubjectAccessCase(
                        self._document(
                            session, assessment, review_reads.referral_of(session, assessment.id), EVERYTHING
                        ),
                        case_details.all_versions(session, assessment.id),
                        documents_made(session, assessment),
                        tuple(history_event(event, name, self._bank) for event, name in reversed(history)),
                    )
                )
            asked_for = reference.strip().upper() if reference is not None else f"person: {person}"
            return subject_access.SubjectAccess(asked_for, self._clock(), tuple(cases))

        return self._write(export)

    def _document(
        self,
        session: Session,
        assessment: CaseRow,
        referral: ReferralRow | None,
        audience: case_document.Audience,
    ) -> CaseDocument:
        return case_document.build(
            session,
            self._bank,
            assessment,
            referral,
            audience,
            now=self._clock(),
            tracker_db=self._tracker_db,
        )

    def _case_view(
        self, session: Session, who: Viewer, assessment: CaseRow, referral: ReferralRow | None
    ) -> CaseView:
        """The document, the case's access history (reviewers only), and what this viewer may do now."""
        document = self._document(session, assessment, referral, case_document.audience_of(who))
        events = review_reads.history_of(session, assessment.id) if document.reviewer else []
        status = ReferralStatus(document.status) if document.submitted else None

        def may(move: Move) -> bool:
            return document.reviewer and status is not None and allows(status, move)

        # A Request for Support waiting for its full assessment can still send (bot.review.document_basis).
        sends = permits(who.role, Action.SEND_DOCUMENTS) and basis_of(assessment) is not None
        return CaseView(
            **{field.name: getattr(document, field.name) for field in fields(CaseDocument)},
            can_send_documents=sends and bool(document.decisions),
            can_change_details=sends,
            documents=documents_made(session, assessment) if sends else (),
            hold=_hold_of(session, who, assessment),
            history=tuple(history_event(event, name, self._bank) for event, name in events),
            can_decide=may(Move.DECIDE),
            can_close=may(Move.CLOSE),
            can_reopen=may(Move.REOPEN),
            can_ask_full=document.reviewer
            and status is not None
            and allows(
                status,
                Move.ASK_FULL,
                screening_only=document.record.submitted_stage == SubmittedStage.SCREENING,
            ),
            can_tag=document.shows_tags and status is not None and not is_read_only(status),
            can_respond=document.shows_urgent_follow_up
            and document.flagged
            and not (status is not None and is_read_only(status)),
            can_stand_down=permits(who.role, Action.STAND_DOWN_URGENT_FLAGS)
            and document.urgent
            and not (status is not None and is_read_only(status)),
        )


def _hold_of(session: Session, who: Viewer, assessment: CaseRow) -> HoldState | None:
    """Issue #31: the legal hold, for a viewer who may set or lift one (a lead: the page is in their scope);
    None hides the section from everyone else."""
    if not permits(who.role, Action.HOLD_CASES):
        return None
    return HoldState(assessment.id, assessment.reference, active_hold(session, assessment.id))


def _waiting(
    case: CaseSummary, assigned_to: int | None, names: dict[int, str], now: datetime, who: Viewer
) -> CaseSummary:
    """The assigned lead (shown to reviewers) and the wait since submission, by the service's clock."""
    waiting = (
        max(now - case.submitted_at, timedelta(0))
        if case.submitted_at is not None and case.status in WAITING_STATUSES
        else None
    )
    shown = (
        names.get(assigned_to) if assigned_to is not None and permits(who.role, Action.ASSIGN_CASES) else None
    )
    return replace(case, assigned_to=shown, waiting=waiting)


def _with_links(
    case: CaseSummary, links: dict[int, tuple[LinkedCase | None, tuple[LinkedCase, ...]]]
) -> CaseSummary:
    adds_to, added_to_by = links.get(case.id, (None, ()))
    return replace(case, adds_to=adds_to, added_to_by=added_to_by)


def _find_for_cli(session: Session, conversation_id: str | None, assessment_id: str | None) -> CaseRow:
    if (conversation_id is None) == (assessment_id is None):
        raise ValidationError({"assessment": "give exactly one of conversation_id and assessment_id"})
    if conversation_id is not None:
        assessment = repository.assessment_by_sender(session, conversation_id)
    elif assessment_id is not None and assessment_id.isdecimal() and len(assessment_id) < 18:
        assessment = review_reads.case_by_id(session, int(assessment_id))
    else:
        assessment = repository.assessment_by_reference(session, (assessment_id or "").upper())
    if assessment is None:
        raise NotFoundError({"assessment": "no assessment matches"})
    return assessment
