"""ReviewService: the lead's case list, case page and decisions, each in one transaction with its audit event.

Every view of a case writes an audit event (who, what, when, from which address) in the transaction that
reads it, so there is no read without its trail. An attempt to open a case outside the viewer's scope is
refused as "not found" (the page does not confirm that the case exists) and audited as refused.

Referral rows are made lazily, when a lead or trainer first opens a submitted assessment, rather than by the
submit path. Why: the submit path belongs to the store and the action server, and must stay fast and
independent of the review; the list treats "no referral yet" as "submitted", so a case appears in the queue
the moment it is submitted; and assessments submitted before this feature existed get a referral the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.questions import QuestionBank
from bot.review import case_page, queries
from bot.review.decision_checks import check_decision, check_reason
from bot.review.records import (
    ActionView,
    CaseFilters,
    CaseList,
    CaseSummary,
    CaseView,
    DecisionIn,
    DecisionView,
    HistoryEvent,
    StatusChangeView,
    UrgentView,
    Viewer,
)
from bot.review.scope import is_reviewer, visible_modes
from bot.review.transcript import Transcript, link_answers, read_transcript
from bot.review.vocabulary import REFERRAL_STATUSES
from bot.store import repository
from bot.store.audit import record_event
from bot.store.errors import ConflictError, NotFoundError, ValidationError
from bot.store.export import build_export
from bot.store.models import Assessment, utcnow
from bot.store.records import Actor
from bot.store.review_models import Decision, DecisionAction, Referral, ReferralStatusChange

T = TypeVar("T")
PAGE_SIZE = 25
NOT_FOUND = {"case": "There is no case with this number that you can open."}


@dataclass(frozen=True)
class _Refused:
    """A refusal decided inside a transaction; raised only after its audit event has been committed."""

    error: NotFoundError


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
            rows, total = queries.list_cases(session, who, filters, PAGE_SIZE)
            self._audit(session, who, "case_list.viewed", shown=len(rows), total=total)
            return CaseList(
                cases=tuple(_summary(assessment, status) for assessment, status in rows),
                total=total,
                page=filters.page,
                pages=max(1, -(-total // PAGE_SIZE)),
                modes=visible_modes(who.role),
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
            if is_reviewer(who):
                referral = self._referral_for_review(session, who, assessment, referral)
            self._audit(session, who, "case.viewed", assessment=assessment)
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
            return self._full_export(session, assessment, reviewer=is_reviewer(who))

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
            return self._full_export(session, assessment, reviewer=True)

        return self._write(export_)

    def _transcript(self, session: Session, assessment: Assessment) -> Transcript:
        transcript = read_transcript(self._tracker_db, assessment.conversation.sender_id)
        return link_answers(transcript, repository.assessment_record(session, assessment).answers.values())

    def _full_export(self, session: Session, assessment: Assessment, *, reviewer: bool) -> dict[str, Any]:
        data = build_export(session, assessment, self._clock())
        referral = queries.referral_of(session, assessment.id)
        decisions = queries.decisions_of(session, referral.id) if referral else []
        names = queries.usernames(session, [d.decided_by for d in decisions])
        data["referral_status"] = referral.status if referral else "submitted"
        data["decisions"] = [
            _decision_json(_decision_view(session, d, names), reviewer=reviewer) for d in decisions
        ]
        data["transcript"] = self._transcript(session, assessment).to_json()
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
        record = repository.assessment_record(session, assessment)
        reviewer = is_reviewer(who)
        decisions = queries.decisions_of(session, referral.id) if referral else []
        changes = queries.status_changes_of(session, referral.id) if referral else []
        events = queries.history_of(session, assessment.id) if reviewer else []
        names = queries.usernames(
            session,
            [d.decided_by for d in decisions]
            + [c.changed_by for c in changes]
            + [int(e.actor_id) for e in events if e.actor_kind == "user" and (e.actor_id or "").isdecimal()],
        )
        status = referral.status if referral else "submitted"
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
            urgent_messages=tuple(UrgentView(m.text, m.flagged_at) for m in record.urgent_messages),
            sections=case_page.sections(self._bank, record),
            chronology=case_page.chronology(self._bank, record),
            suggestions=case_page.next_steps(self._bank, record),
            decisions=tuple(_decision_view(session, d, names) for d in decisions),
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
            history=tuple(_history_event(e, names) for e in events),
            reviewer=reviewer,
            can_decide=reviewer and status == "in_review",
            can_close=reviewer and status == "decided",
            can_reopen=reviewer and status in {"decided", "closed"},
            transcript=self._transcript(session, assessment),
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
    )


def _decision_view(session: Session, decision: Decision, names: dict[int, str]) -> DecisionView:
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
        actions=tuple(
            ActionView(a.description, a.owner, a.due_date) for a in queries.actions_of(session, decision.id)
        ),
    )


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


def _history_event(event: Any, names: dict[int, str]) -> HistoryEvent:
    who = event.actor_kind
    if event.actor_kind == "user" and (event.actor_id or "").isdecimal():
        who = names.get(int(event.actor_id), f"user {event.actor_id}")
    elif event.actor_kind == "service":
        who = "the assessment service"
    address = event.detail.get("address") if isinstance(event.detail, dict) else None
    return HistoryEvent(at=event.at, who=who, action=event.action, address=address)
