"""ReviewService: the lead's case list, case page and decisions, each in one transaction with its audit event.

Every view of a case writes an audit event (who, what, when, from which address) in the transaction that
reads it, so there is no read without its trail. An attempt to open a case outside the viewer's scope is
refused as "not found" (the page does not confirm that the case exists) and audited as refused.

Referral rows are made lazily, when a lead or trainer first opens a submitted assessment, rather than by the
submit path. Why: the submit path belongs to the store and the action server, and must stay fast and
independent of the review; the list treats "no referral yet" as "submitted", so a case appears in the queue
the moment it is submitted; and assessments submitted before this feature existed get a referral the same way.

VAF tags are a lead's alone: a lead of the case's team may tag an answer of a submitted live case with one or
more dimensions and a short note, and remove a tag (any lead of the team, not only the one who added it: the
case is the team's). Trainers may not tag, even the rehearsal cases they review (Action.TAG_EVIDENCE in
bot.domain.roles), and practitioners never see tags. A removed tag is kept with who removed it and when, and
every change writes an audit event holding ids and labels only, never the note.

An urgent case reaches its team's leads before it is submitted (issue #9): a lead can open it, read the
danger reports and everything answered so far, see which notices went to whom, and record what they did
(`record_urgent_response`). It is not a referral yet: opening it makes no referral row, and decisions, tags
and status changes are refused (409, audited) until the practitioner submits; then it is an ordinary case
that still shows its urgent history and the leads' responses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import Actor, AssessmentRecord
from bot.domain.vocabulary import REFERRAL_STATUSES, URGENT_UNSUBMITTED, VAF_DIMENSIONS
from bot.questions import QuestionBank
from bot.review import case_page, queries
from bot.review.decision_checks import check_decision, check_reason
from bot.review.errors import LEADS_ONLY, LEADS_ONLY_RESPONSE, LeadsOnlyError
from bot.review.records import (
    ActionView,
    CaseFilters,
    CaseList,
    CaseSummary,
    CaseView,
    DangerDetailView,
    DecisionIn,
    DecisionView,
    HistoryEvent,
    NoticeView,
    ResponseView,
    StatusChangeView,
    TagIn,
    TagResult,
    TagView,
    UrgentView,
    Viewer,
)
from bot.review.scope import is_reviewer, may_tag, sees_urgent_follow_up, visible_modes
from bot.review.tag_checks import check_tag, is_question_id
from bot.review.transcript import Transcript, link_answers, read_transcript
from bot.review.urgent_checks import RESPONSE_FIELD, check_response
from bot.store import repository
from bot.store.audit import record_event
from bot.store.errors import ConflictError, NotFoundError, StoreError, ValidationError
from bot.store.export import build_export
from bot.store.models import Assessment, AuditEvent, UrgentFlag, utcnow
from bot.store.review_models import (
    Decision,
    DecisionAction,
    EvidenceTag,
    Referral,
    ReferralStatusChange,
)
from bot.store.urgent_models import Notification, UrgentResponse

T = TypeVar("T")
PAGE_SIZE = 25
NOT_FOUND = {"case": "There is no case with this number that you can open."}
NO_SUCH_TAG = {"tag": "There is no tag with this number on this case."}
CLOSED_FOR_TAGS = (
    "This case is closed. Reopen it, with a reason, to change its evidence tags. Nothing was changed."
)
TAG_ACTIONS = frozenset({"evidence.tagged", "evidence.untagged"})
NOT_SUBMITTED = (
    "This case has not been submitted yet: the practitioner may still be writing it. A decision, evidence "
    "tags and status changes wait until it is submitted. Nothing was changed."
)
NOT_URGENT = "This case has no urgent flag, so there is nothing to record against one. Nothing was saved."
CLOSED_FOR_RESPONSES = "This case is closed. Reopen it, with a reason, to record more. Nothing was saved."


@dataclass(frozen=True)
class _Refused:
    """A refusal decided inside a transaction; raised only after its audit event has been committed."""

    error: StoreError


class ReviewService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bank: QuestionBank,
        *,
        clock: Callable[[], datetime] = utcnow,
        tracker_db: Path | None = None,
    ) -> None:
        self._sessions = session_factory
        self._bank = bank
        self._clock = clock
        self._tracker_db = tracker_db  # the engine's tracker store, read only for transcripts

    @property
    def bank(self) -> QuestionBank:
        return self._bank

    # -- reading -----------------------------------------------------------------------------------------

    def list_cases(self, user_id: int, address: str, filters: CaseFilters) -> CaseList:
        def list_(session: Session) -> CaseList:
            who = self._viewer(session, user_id, address)
            rows = queries.list_cases(session, who, filters, PAGE_SIZE)
            shown = [*rows.pinned, *rows.page]
            total = rows.pinned_total + rows.submitted_total
            self._audit(
                session,
                who,
                "case_list.viewed",
                shown=len(shown),
                total=total,
                urgent_unsubmitted=rows.urgent_unsubmitted,
            )
            return CaseList(
                cases=tuple(_summary(assessment, status) for assessment, status in shown),
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

        def open_(session: Session) -> CaseView | _Refused:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, "case.view_refused")
            referral = queries.referral_of(session, assessment.id)
            if is_reviewer(who) and _submitted(assessment):
                # An urgent case still in progress is no referral yet: it gets one once submitted.
                referral = self._referral_for_review(session, who, assessment, referral)
            self._audit(session, who, "case.viewed", assessment=assessment, submitted=_submitted(assessment))
            session.flush()
            return self._case_view(session, who, assessment, referral)

        return _unwrap(self._write(open_))

    def open_transcript(self, user_id: int, address: str, case_id: int) -> CaseView:
        """The case with its transcript; audited as a transcript view, with the same scope as the case."""

        def open_(session: Session) -> CaseView | _Refused:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, "transcript.view_refused")
            self._audit(session, who, "transcript.viewed", assessment=assessment)
            session.flush()
            return self._case_view(session, who, assessment, queries.referral_of(session, assessment.id))

        return _unwrap(self._write(open_))

    def export_case(self, user_id: int, address: str, case_id: int, format_: str) -> dict[str, Any]:
        """The full record of a case (store export, transcript, decisions), audited with its format."""

        def export_(session: Session) -> dict[str, Any] | _Refused:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, "case.export_refused")
            self._audit(session, who, "case.exported", assessment=assessment, format=format_)
            return self._full_export(
                session,
                assessment,
                reviewer=is_reviewer(who),
                tags=may_tag(who),
                responses=sees_urgent_follow_up(who),
            )

        return _unwrap(self._write(export_))

    def export_for_cli(
        self, actor: Actor, conversation_id: str | None, assessment_id: str | None, format_: str
    ) -> dict[str, Any]:
        """The same record for `bot assessments export` (an administrator on the server, not a page user)."""

        def export_(session: Session) -> dict[str, Any]:
            if (conversation_id is None) == (assessment_id is None):
                raise ValidationError({"assessment": "give exactly one of conversation_id and assessment_id"})
            if conversation_id is not None:
                assessment = repository.assessment_by_sender(session, conversation_id)
            elif assessment_id is not None and assessment_id.isdecimal() and len(assessment_id) < 18:
                assessment = session.get(Assessment, int(assessment_id))
            else:
                assessment = repository.assessment_by_reference(session, (assessment_id or "").upper())
            if assessment is None:
                raise NotFoundError({"assessment": "no assessment matches"})
            record_event(
                session,
                actor,
                "assessment.exported",
                self._clock(),
                assessment_id=assessment.id,
                conversation_id=assessment.conversation.sender_id,
                format=format_,
            )
            return self._full_export(session, assessment, reviewer=True, tags=True, responses=True)

        return self._write(export_)

    def _transcript(self, record: AssessmentRecord) -> Transcript:
        """The engine's transcript, each answer linked to its turn; `record` is the one the caller built."""
        transcript = read_transcript(self._tracker_db, record.conversation_id)
        return link_answers(transcript, record.answers.values())

    def _full_export(
        self, session: Session, assessment: Assessment, *, reviewer: bool, tags: bool, responses: bool
    ) -> dict[str, Any]:
        """The record; `tags` adds every VAF tag, removed ones included, and `responses` what leads recorded
        doing about an urgent flag: for a lead (or the CLI) only."""
        data = build_export(session, assessment, self._clock())
        referral = queries.referral_of(session, assessment.id)
        decisions = queries.decisions_of(session, referral.id) if referral else []
        tag_rows = queries.tags_of(session, assessment.id) if tags else []
        response_rows = queries.responses_of(session, assessment.id) if responses else []
        names = queries.usernames(
            session,
            [d.decided_by for d in decisions]
            + [t.tagged_by for t in tag_rows]
            + [t.removed_by for t in tag_rows]
            + [r.responded_by for r in response_rows],
        )
        actions = queries.actions_of(session, [d.id for d in decisions])
        if not _submitted(assessment):
            data["referral_status"] = URGENT_UNSUBMITTED
        else:
            data["referral_status"] = referral.status if referral else "submitted"
        data["decisions"] = [
            _decision_json(_decision_view(d, actions[d.id], names), reviewer=reviewer) for d in decisions
        ]
        if tags:
            data["evidence_tags"] = [_tag_json(tag, names) for tag in tag_rows]
        if responses:
            data["urgent_responses"] = [
                {
                    "responded_by": names.get(r.responded_by, "unknown"),
                    "note": r.note,
                    "recorded_at": r.recorded_at.isoformat(),
                }
                for r in response_rows
            ]
        data["transcript"] = self._transcript(repository.assessment_record(session, assessment)).to_json()
        return data

    # -- changing ----------------------------------------------------------------------------------------

    def record_decision(self, user_id: int, address: str, case_id: int, form: DecisionIn) -> None:
        """Store the decision and move the referral to decided; if incomplete, ValidationError and no change.

        The form is checked only after the scope check, so a case outside your scope is refused the same way
        whatever the form holds (the reply must not differ by whether the case exists)."""

        def decide(session: Session) -> _Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None or not is_reviewer(who):
                return self._refuse(session, who, case_id, "case.decision_refused")
            if not _submitted(assessment):
                return self._refuse_unsubmitted(session, who, assessment, "decision")
            checked = check_decision(form, today=self._clock().date())
            referral = self._referral_for_review(
                session, who, assessment, queries.referral_of(session, case_id)
            )
            if referral.status != "in_review":
                raise ConflictError(
                    {
                        "status": f"This case is {REFERRAL_STATUSES[referral.status].lower()}. Reopen it, "
                        "with a reason, to record a new decision."
                    }
                )
            decision = Decision(
                referral_id=referral.id,
                decided_by=who.user_id,
                decided_at=self._clock(),
                pathway=checked.pathway,
                rationale=checked.rationale,
                lawful_bases=list(checked.lawful_bases),
                consent=checked.consent,
                consent_reason=checked.consent_reason,
                review_date=checked.review_date,
                feedback=checked.feedback,
                feedback_given_on=checked.feedback_given_on,
            )
            session.add(decision)
            session.flush()
            for position, action in enumerate(checked.actions, start=1):
                session.add(
                    DecisionAction(
                        decision_id=decision.id,
                        position=position,
                        description=action.description,
                        owner=action.owner,
                        due_date=action.due_date,
                    )
                )
            self._move(session, who, referral, "decided")
            self._audit(
                session,
                who,
                "decision.recorded",
                assessment=assessment,
                decision_id=decision.id,
                pathway=checked.pathway,
                lawful_bases=list(checked.lawful_bases),
                consent=checked.consent,
                actions=len(checked.actions),
            )
            return None

        _unwrap(self._write(decide))

    def tag_evidence(self, user_id: int, address: str, case_id: int, form: TagIn) -> TagResult:
        """Tag one answer's current revision with the dimensions chosen; a dimension it already has is left
        as it is (so posting the same form twice changes nothing). Bad input: an error and no change.

        Scope first, then role, then the form, so a case outside your scope is refused the same way whatever
        the form holds."""

        def tag(session: Session) -> TagResult | _Refused:
            who = self._viewer(session, user_id, address)
            assessment = self._taggable_case(session, who, case_id)
            if isinstance(assessment, _Refused):
                return assessment
            current = (
                queries.current_revision(session, assessment.id, form.question_id)
                if is_question_id(form.question_id)
                else None
            )
            checked = check_tag(form, current)
            self._open_for_tags(session, who, assessment)
            present = queries.active_dimensions(session, assessment.id, checked.question_id, checked.revision)
            added = tuple(d for d in checked.dimensions if d not in present)
            for dimension in added:
                row = EvidenceTag(
                    assessment_id=assessment.id,
                    question_id=checked.question_id,
                    answer_revision=checked.revision,
                    dimension=dimension,
                    note=checked.note,
                    tagged_by=who.user_id,
                    tagged_at=self._clock(),
                )
                session.add(row)
                session.flush()
                self._audit(
                    session,
                    who,
                    "evidence.tagged",
                    assessment=assessment,
                    tag_id=row.id,
                    question_id=row.question_id,
                    answer_revision=row.answer_revision,
                    dimension=dimension,
                    has_note=checked.note is not None,
                )
            unchanged = tuple(d for d in checked.dimensions if d in present)
            return TagResult(checked.question_id, added, unchanged)

        try:
            return _unwrap(self._write(tag))
        except IntegrityError:
            # Two posts of the same tag at once (PostgreSQL): the active-tag index let one in. Run again:
            # this time the first one's tag is there, and the request is the no-op it should be.
            return _unwrap(self._write(tag))

    def remove_tag(self, user_id: int, address: str, case_id: int, tag_id: int) -> bool:
        """Mark a tag removed (kept, with who and when). False if it was already removed: nothing changes."""

        def remove(session: Session) -> bool | _Refused:
            who = self._viewer(session, user_id, address)
            assessment = self._taggable_case(session, who, case_id)
            if isinstance(assessment, _Refused):
                return assessment
            row = session.get(EvidenceTag, tag_id)
            if row is None or row.assessment_id != assessment.id:
                # Another case's tag (perhaps outside the viewer's scope) is not reachable through this one.
                self._audit(session, who, "case.tag_refused", assessment_id=case_id, tag_id=tag_id)
                return _Refused(NotFoundError(NO_SUCH_TAG))
            if row.removed_at is not None:
                return False
            self._open_for_tags(session, who, assessment)
            row.removed_by = who.user_id
            row.removed_at = self._clock()
            self._audit(
                session,
                who,
                "evidence.untagged",
                assessment=assessment,
                tag_id=row.id,
                question_id=row.question_id,
                answer_revision=row.answer_revision,
                dimension=row.dimension,
            )
            return True

        return _unwrap(self._write(remove))

    def record_urgent_response(self, user_id: int, address: str, case_id: int, note: str) -> None:
        """Store what a lead did about an urgent flag, in their words, exactly as typed.

        Leads of the case's team only, on an urgent case in their scope (submitted or not), unless it is
        closed. Scope first, then role, then the text, then the case's state, so a case outside your scope is
        refused the same way whatever the form holds. Refusals are audited; bad text saves nothing."""

        def respond(session: Session) -> _Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None:
                return self._refuse(session, who, case_id, "case.urgent_response_refused")
            if not sees_urgent_follow_up(who):
                return self._refuse_response(session, who, assessment, "role", LeadsOnlyError)
            checked = check_response(note)
            if not assessment.urgent:
                return self._refuse_response(session, who, assessment, "not_urgent", ConflictError)
            referral = queries.referral_of(session, assessment.id) if _submitted(assessment) else None
            if referral is not None and referral.status == "closed":
                return self._refuse_response(session, who, assessment, "closed", ConflictError)
            row = UrgentResponse(
                assessment_id=assessment.id, responded_by=who.user_id, note=checked, recorded_at=self._clock()
            )
            session.add(row)
            session.flush()
            self._audit(
                session,
                who,
                "urgent.response_recorded",
                assessment=assessment,
                response_id=row.id,
                submitted=_submitted(assessment),
            )
            return None

        _unwrap(self._write(respond))

    def _refuse_response(
        self,
        session: Session,
        who: Viewer,
        assessment: Assessment,
        reason: str,
        error: type[LeadsOnlyError] | type[ConflictError],
    ) -> _Refused:
        self._audit(session, who, "case.urgent_response_refused", assessment=assessment, reason=reason)
        message = {
            "role": LEADS_ONLY_RESPONSE,
            "not_urgent": NOT_URGENT,
            "closed": CLOSED_FOR_RESPONSES,
        }[reason]
        return _Refused(error({RESPONSE_FIELD: message}))

    def close_case(self, user_id: int, address: str, case_id: int) -> None:
        self._change_status(user_id, address, case_id, frozenset({"decided"}), "closed", lambda: None)

    def reopen_case(self, user_id: int, address: str, case_id: int, reason: str) -> None:
        allowed_from = frozenset({"decided", "closed"})
        self._change_status(
            user_id, address, case_id, allowed_from, "in_review", lambda: check_reason(reason)
        )

    # -- plumbing ----------------------------------------------------------------------------------------

    def _change_status(
        self,
        user_id: int,
        address: str,
        case_id: int,
        allowed_from: frozenset[str],
        to_status: str,
        reason: Callable[[], str | None],
    ) -> None:
        """Move the referral; `reason` is read (and checked) only once the case is known to be in scope."""

        def change(session: Session) -> _Refused | None:
            who = self._viewer(session, user_id, address)
            assessment = queries.case_in_scope(session, who, case_id)
            if assessment is None or not is_reviewer(who):
                return self._refuse(session, who, case_id, "case.change_refused")
            if not _submitted(assessment):
                return self._refuse_unsubmitted(session, who, assessment, to_status)
            referral = self._referral_for_review(
                session, who, assessment, queries.referral_of(session, case_id)
            )
            if referral.status not in allowed_from:
                raise ConflictError(
                    {
                        "status": f"This case is {REFERRAL_STATUSES[referral.status].lower()}; "
                        "that cannot be done now."
                    }
                )
            self._move(session, who, referral, to_status, reason())
            return None

        _unwrap(self._write(change))

    def _taggable_case(self, session: Session, who: Viewer, case_id: int) -> Assessment | _Refused:
        """The case, if this viewer may change its tags; else a refusal (audited): "not found" outside their
        scope, as for every case, and "leads only" for a case they may open (a trainer's rehearsal case, a
        practitioner's own)."""
        assessment = queries.case_in_scope(session, who, case_id)
        if assessment is None:
            return self._refuse(session, who, case_id, "case.tag_refused")
        if not may_tag(who):
            self._audit(session, who, "case.tag_refused", assessment=assessment, reason="role")
            return _Refused(LeadsOnlyError({"case": LEADS_ONLY}))
        if not _submitted(assessment):
            return self._refuse_unsubmitted(session, who, assessment, "tags")
        return assessment

    def _refuse_unsubmitted(
        self, session: Session, who: Viewer, assessment: Assessment, attempted: str
    ) -> _Refused:
        """A decision, tag or status change on an urgent case still in progress: refused, audited, and no
        referral made (the referral is made when a submitted case is first opened)."""
        self._audit(session, who, "case.not_submitted_refused", assessment=assessment, attempted=attempted)
        return _Refused(ConflictError({"status": NOT_SUBMITTED}))

    def _open_for_tags(self, session: Session, who: Viewer, assessment: Assessment) -> None:
        """Tagging is reviewing: the referral is made (and put in review) as on a lead's first view. A
        closed case is not changed, tags included, until it is reopened with a reason."""
        referral = self._referral_for_review(
            session, who, assessment, queries.referral_of(session, assessment.id)
        )
        if referral.status == "closed":
            raise ConflictError({"status": CLOSED_FOR_TAGS})

    def _referral_for_review(
        self, session: Session, who: Viewer, assessment: Assessment, referral: Referral | None
    ) -> Referral:
        if referral is None:
            now = self._clock()
            referral = Referral(
                assessment_id=assessment.id, status="submitted", created_at=now, updated_at=now
            )
            session.add(referral)
            session.flush()
            session.add(
                ReferralStatusChange(
                    referral_id=referral.id,
                    from_status=None,
                    to_status="submitted",
                    changed_by=assessment.practitioner_id,
                    changed_at=assessment.submitted_at or now,
                )
            )
            self._audit(session, who, "referral.created", assessment=assessment, referral_id=referral.id)
        if referral.status == "submitted":
            self._move(session, who, referral, "in_review")
        return referral

    def _move(
        self, session: Session, who: Viewer, referral: Referral, to_status: str, reason: str | None = None
    ) -> None:
        now = self._clock()
        session.add(
            ReferralStatusChange(
                referral_id=referral.id,
                from_status=referral.status,
                to_status=to_status,
                reason=reason,
                changed_by=who.user_id,
                changed_at=now,
            )
        )
        self._audit(
            session,
            who,
            "referral.status_changed",
            assessment_id=referral.assessment_id,
            referral_id=referral.id,
            from_status=referral.status,
            to_status=to_status,
        )
        referral.status = to_status
        referral.updated_at = now

    def _case_view(
        self, session: Session, who: Viewer, assessment: Assessment, referral: Referral | None
    ) -> CaseView:
        """Everything the page shows, in a fixed number of queries however many answers, decisions, tags,
        urgent flags, notices or responses."""
        record = repository.assessment_record(session, assessment)
        reviewer = is_reviewer(who)
        submitted = _submitted(assessment)
        shows_tags = may_tag(who) and submitted
        follow_up = sees_urgent_follow_up(who)
        decisions = queries.decisions_of(session, referral.id) if referral else []
        changes = queries.status_changes_of(session, referral.id) if referral else []
        events = queries.history_of(session, assessment.id) if reviewer else []
        tag_rows = queries.tags_of(session, assessment.id, active_only=True) if shows_tags else []
        flags = queries.urgent_flags_of(session, assessment.id) if assessment.urgent else []
        notices = queries.notices_of(session, assessment.id) if follow_up else []
        responses = queries.responses_of(session, assessment.id) if follow_up else []
        names = queries.usernames(
            session,
            [d.decided_by for d in decisions]
            + [c.changed_by for c in changes]
            + [t.tagged_by for t in tag_rows]
            + [n.recipient_id for n in notices]
            + [r.responded_by for r in responses]
            + [int(e.actor_id) for e in events if e.actor_kind == "user" and (e.actor_id or "").isdecimal()],
        )
        actions = queries.actions_of(session, [d.id for d in decisions])
        tags: dict[str, tuple[TagView, ...]] = {}
        for row in tag_rows:
            tags[row.question_id] = (*tags.get(row.question_id, ()), _tag_view(row, names))
        sections = case_page.sections(self._bank, record, tags)
        status = (referral.status if referral else "submitted") if submitted else URGENT_UNSUBMITTED
        return CaseView(
            id=assessment.id,
            reference=record.reference,
            mode=record.mode,
            status=status,
            practitioner=record.practitioner,
            team=record.team,
            submitted_at=record.submitted_at,
            bank_version=record.bank_version,
            urgent=record.urgent,
            urgent_first_at=record.urgent_first_at,
            urgent_messages=tuple(
                UrgentView(f.message, f.flagged_at) for f in flags if f.question_id is None
            ),
            sections=sections,
            chronology=case_page.chronology(self._bank, record),
            suggestions=case_page.next_steps(self._bank, record),
            decisions=tuple(_decision_view(d, actions[d.id], names) for d in decisions),
            status_changes=tuple(
                StatusChangeView(
                    c.from_status,
                    c.to_status,
                    c.reason,
                    names.get(c.changed_by or -1, "unknown"),
                    c.changed_at,
                )
                for c in changes
            ),
            history=tuple(_history_event(e, names, self._bank) for e in events),
            reviewer=reviewer,
            can_decide=reviewer and status == "in_review",
            can_close=reviewer and status == "decided",
            can_reopen=reviewer and status in {"decided", "closed"},
            transcript=self._transcript(record),
            shows_tags=shows_tags,
            can_tag=shows_tags and status != "closed",
            tag_groups=case_page.tag_groups(sections) if shows_tags else (),
            submitted=submitted,
            danger_details=tuple(_danger_detail(f) for f in flags if f.question_id is not None),
            practitioner_email=(
                assessment.practitioner.email if reviewer and assessment.practitioner is not None else None
            ),
            lead_unreached_at=assessment.lead_unreached_at if reviewer else None,
            shows_urgent_follow_up=follow_up,
            notices=tuple(_notice_view(n, names) for n in notices),
            responses=tuple(
                ResponseView(names.get(r.responded_by, "unknown"), r.note, r.recorded_at) for r in responses
            ),
            can_respond=follow_up and assessment.urgent and status != "closed",
        )

    def _refuse(self, session: Session, who: Viewer, case_id: int, action: str) -> _Refused:
        # assessment_id is the id asked for, so the refusal shows in that case's own access history.
        self._audit(session, who, action, assessment_id=case_id)
        return _Refused(NotFoundError(NOT_FOUND))

    def _viewer(self, session: Session, user_id: int, address: str) -> Viewer:
        who = queries.viewer(session, user_id, address)
        if who is None:
            raise NotFoundError({"user": "Your account is not active. Sign in again."})
        return who

    def _audit(
        self,
        session: Session,
        who: Viewer,
        action: str,
        *,
        assessment: Assessment | None = None,
        **detail: Any,
    ) -> None:
        if assessment is not None:
            detail.setdefault("assessment_id", assessment.id)
            detail.setdefault("conversation_id", assessment.conversation.sender_id)
            detail.setdefault("reference", assessment.reference)
        record_event(
            session,
            Actor.user(who.user_id),
            action,
            self._clock(),
            user_id=who.user_id,
            address=who.address,
            **detail,
        )

    def _write(self, work: Callable[[Session], T]) -> T:
        with self._sessions.begin() as session:
            return work(session)


def _submitted(assessment: Assessment) -> bool:
    return assessment.status == "submitted"


def _danger_detail(flag: UrgentFlag) -> DangerDetailView:
    return DangerDetailView(
        question_id=flag.question_id or "",
        wording=flag.wording or "",
        text=flag.message,
        answered_at=flag.flagged_at,
    )


def _notice_view(notice: Notification, names: dict[int, str]) -> NoticeView:
    return NoticeView(
        recipient=names.get(notice.recipient_id, "unknown"),
        channel=notice.channel,
        purpose=notice.purpose,
        state=notice.status,
        attempts=notice.attempts,
        created_at=notice.created_at,
        sent_at=notice.sent_at,
    )


def _unwrap(result: T | _Refused) -> T:
    if isinstance(result, _Refused):
        raise result.error
    return result


def _summary(assessment: Assessment, status: str | None) -> CaseSummary:
    return CaseSummary(
        id=assessment.id,
        reference=assessment.reference,
        mode=assessment.mode,
        status=status or "submitted",
        urgent=assessment.urgent,
        practitioner=assessment.practitioner.username if assessment.practitioner else None,
        submitted_at=assessment.submitted_at,
        urgent_first_at=assessment.urgent_first_at,
    )


def _decision_view(decision: Decision, actions: list[DecisionAction], names: dict[int, str]) -> DecisionView:
    return DecisionView(
        decided_by=names.get(decision.decided_by, "unknown"),
        decided_at=decision.decided_at,
        pathway=decision.pathway,
        rationale=decision.rationale,
        lawful_bases=tuple(decision.lawful_bases),
        consent=decision.consent,
        consent_reason=decision.consent_reason,
        review_date=decision.review_date,
        feedback=decision.feedback,
        feedback_given_on=decision.feedback_given_on,
        actions=tuple(ActionView(a.description, a.owner, a.due_date) for a in actions),
    )


def _tag_view(row: EvidenceTag, names: dict[int, str]) -> TagView:
    return TagView(
        id=row.id,
        question_id=row.question_id,
        answer_revision=row.answer_revision,
        dimension=row.dimension,
        note=row.note,
        tagged_by=names.get(row.tagged_by, "unknown"),
        tagged_at=row.tagged_at,
    )


def _tag_json(row: EvidenceTag, names: dict[int, str]) -> dict[str, Any]:
    """A tag for a lead's export, removed ones included so the export carries the tagging history."""
    return {
        "id": row.id,
        "question_id": row.question_id,
        "answer_revision": row.answer_revision,
        "dimension": row.dimension,
        "note": row.note,
        "tagged_by": names.get(row.tagged_by, "unknown"),
        "tagged_at": row.tagged_at.isoformat(),
        "removed_by": None if row.removed_by is None else names.get(row.removed_by, "unknown"),
        "removed_at": None if row.removed_at is None else row.removed_at.isoformat(),
    }


def _decision_json(view: DecisionView, *, reviewer: bool) -> dict[str, Any]:
    """A decision for an export; a practitioner's copy carries only what their case page shows them."""
    data: dict[str, Any] = {
        "decided_by": view.decided_by,
        "decided_at": view.decided_at.isoformat(),
        "feedback": view.feedback,
        "feedback_given_on": _iso_day(view.feedback_given_on),
    }
    if reviewer:
        data |= {
            "pathway": view.pathway,
            "rationale": view.rationale,
            "lawful_bases": list(view.lawful_bases),
            "consent": view.consent,
            "consent_reason": view.consent_reason,
            "review_date": _iso_day(view.review_date),
            "actions": [
                {"description": a.description, "owner": a.owner, "due_date": a.due_date.isoformat()}
                for a in view.actions
            ],
        }
    return data


def _iso_day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _history_event(event: AuditEvent, names: dict[int, str], bank: QuestionBank) -> HistoryEvent:
    who = event.actor_kind
    if event.actor_kind == "user" and (event.actor_id or "").isdecimal():
        who = names.get(int(event.actor_id), f"user {event.actor_id}")
    elif event.actor_kind == "service":
        who = "the assessment service"
    detail = event.detail if isinstance(event.detail, dict) else {}
    about = _tag_change_about(detail, bank) if event.action in TAG_ACTIONS else None
    return HistoryEvent(at=event.at, who=who, action=event.action, address=detail.get("address"), about=about)


def _tag_change_about(detail: dict[str, Any], bank: QuestionBank) -> str:
    """Which dimension on which answer, from the event's labels and ids (the note is never in the trail)."""
    dimension = VAF_DIMENSIONS.get(str(detail.get("dimension")), str(detail.get("dimension")))
    question_id = str(detail.get("question_id"))
    question = f'"{bank.question(question_id).text}"' if question_id in bank else f"question {question_id}"
    return f"{dimension}, on the answer to {question} (version {detail.get('answer_revision')})"
