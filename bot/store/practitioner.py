"""A practitioner's own assessments: opening a new one, listing them, and finding one by its reference.

A practitioner sees many children, so each assessment has its own conversation (the engine's sender id),
its own page (`/chat/<reference>`) and its own record, one to one, and nothing of one can reach another. A
reference that is not the signed-in practitioner's own finds nothing, exactly as a reference that does not
exist, so a page never confirms that someone else's assessment exists.

Kept apart from AssessmentService (which serves the action server's per-message calls) because these are
the practitioner's own reads and the start of a new record, asked by the pages and the Teams channel.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.audit_actions import AuditAction
from bot.domain.case_status import case_status
from bot.domain.conversation_inputs import OpenAssessmentIn
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError
from bot.domain.lifecycle import AssessmentStatus, Mode
from bot.domain.referral import ReferralStatus
from bot.domain.roles import Action, permits, roles_permitted
from bot.store import current_answers, repository
from bot.store.assessment_changes import start_assessment
from bot.store.conversations import new_sender_id
from bot.store.models import Assessment, ChatMessageRow, Conversation, User
from bot.store.references import PATTERN as REFERENCE_PATTERN
from bot.store.review_models import Decision, Referral, ReferralStatusChange
from bot.store.unit_of_work import Service, UnitOfWork


def _require_may_practise(user: User, mode: str) -> None:
    """A practice run starts only from a scenario, for roles that may start one (issues #26 and #13);
    whether the user may raise concerns at all is start_assessment's check, for every way one starts."""
    if mode == "rehearsal" and not permits(user.role, Action.START_PRACTICE_RUNS):
        allowed = " and ".join(f"{role} accounts" for role in roles_permitted(Action.START_PRACTICE_RUNS))
        raise NotPermittedError(
            {"mode": f"a {user.role} account cannot start a practice run: only {allowed} start them"},
            audit=AuditAction.ASSESSMENT_START_REFUSED,
            user_id=user.id,
            role=user.role,
            mode=mode,
        )


class PractitionerService(Service):
    def open_assessment(
        self,
        user_id: int,
        channel: str,
        bank_version: str,
        *,
        linked_from: str | None = None,
        mode: str = Mode.LIVE,
        scenario_id: str | None = None,
    ) -> AssessmentSummary:
        """A new conversation and its assessment, in one transaction, before the engine says anything.

        Made here rather than when the engine first calls the action server, so that the page has an address
        at once, and an engine that is down leaves a visible draft to start again rather than nothing.
        `linked_from` names one of the practitioner's own submitted assessments that this one adds to (and
        whose mode it keeps). `mode` is fixed here, by how the run was started, and never changes (issue
        #26): a live run for whoever may raise concerns, a practice run for whoever may start one, and only
        from a scenario (`scenario_id`, issue #13), recorded with it. Which scenarios exist is the caller's
        check (bot.scenarios): the store keeps the id, so a scenario retired later leaves its runs readable.
        An assessment added to a submitted one keeps that one's mode and scenario.
        """
        OpenAssessmentIn(
            channel=channel,
            bank_version=bank_version,
            linked_from=linked_from,
            mode=mode,
            scenario_id=scenario_id,
        )

        def open_(uow: UnitOfWork) -> AssessmentSummary:
            session = uow.session
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise NotFoundError({"user_id": f"no active user with id {user_id}"})
            earlier = None
            if linked_from is not None:
                earlier = _own(session, user_id, linked_from)
                if earlier is None:
                    raise NotFoundError({"linked_from": "no assessment of yours has this reference"})
                if earlier.status != AssessmentStatus.SUBMITTED:
                    raise ConflictError({"linked_from": "only a submitted assessment can be added to"})
            _require_may_practise(user, earlier.mode if earlier is not None else mode)
            now = uow.now()
            conversation = Conversation(
                sender_id=new_sender_id(), user_id=user.id, channel=channel, created_at=now
            )
            session.add(conversation)
            assessment = start_assessment(
                uow,
                conversation,
                user,
                mode=earlier.mode if earlier is not None else mode,
                bank_version=bank_version,
                linked_from=earlier,
                scenario_id=earlier.scenario_id if earlier is not None else scenario_id,
                channel=channel,
                linked_from_id=earlier.id if earlier is not None else None,
            )
            return _summaries(session, [assessment])[0]

        return self._write(open_)

    def assessments_of(self, user_id: int) -> list[AssessmentSummary]:
        """Every assessment the practitioner made, drafts first (most recently used first), then submitted."""
        with self._reading() as uow:
            rows = list(uow.session.scalars(select(Assessment).where(Assessment.practitioner_id == user_id)))
            summaries = _summaries(uow.session, rows)
        drafts = [s for s in summaries if s.status == AssessmentStatus.IN_PROGRESS]
        submitted = [s for s in summaries if s.status != AssessmentStatus.IN_PROGRESS]
        drafts.sort(key=lambda s: s.last_used_at, reverse=True)
        submitted.sort(key=lambda s: s.submitted_at or s.updated_at, reverse=True)
        return drafts + submitted

    def own_assessment(self, user_id: int, reference: str) -> AssessmentSummary | None:
        """The practitioner's assessment with this reference; None for anyone else's or none at all."""
        with self._reading() as uow:
            assessment = _own(uow.session, user_id, reference)
            return _summaries(uow.session, [assessment])[0] if assessment is not None else None

    def last_used(self, user_id: int) -> AssessmentSummary | None:
        """The assessment the practitioner said something in last, on any channel (for the Teams chat, which
        has one thread for every assessment)."""
        with self._reading() as uow:
            assessment = uow.session.scalar(
                select(Assessment)
                .join(Conversation, Assessment.conversation_id == Conversation.id)
                .join(ChatMessageRow, ChatMessageRow.conversation_id == Conversation.id)
                .where(Assessment.practitioner_id == user_id)
                .order_by(ChatMessageRow.id.desc())
                .limit(1)
            )
            return _summaries(uow.session, [assessment])[0] if assessment is not None else None


def _own(session: Session, user_id: int, reference: str) -> Assessment | None:
    if not isinstance(reference, str) or not REFERENCE_PATTERN.fullmatch(reference.upper()):
        return None
    assessment = repository.assessment_by_reference(session, reference.upper())
    if assessment is None or assessment.practitioner_id != user_id:
        return None
    return assessment


def _summaries(session: Session, rows: list[Assessment]) -> list[AssessmentSummary]:
    """Summaries of many assessments in a fixed number of queries, whatever their number."""
    if not rows:
        return []
    ids = [a.id for a in rows]
    drafts = [a.id for a in rows if a.status == AssessmentStatus.IN_PROGRESS]
    values = current_answers.current_values(session, drafts)
    conversations = [a.conversation_id for a in rows]
    # max() keeps the column's type, so the times come back aware, as the column's own do.
    chat = {
        conversation_id: (count, last)
        for conversation_id, count, last in session.execute(
            select(ChatMessageRow.conversation_id, func.count(), func.max(ChatMessageRow.created_at))
            .where(ChatMessageRow.conversation_id.in_(conversations))
            .group_by(ChatMessageRow.conversation_id)
        ).all()
    }
    referral_rows = session.scalars(select(Referral).where(Referral.assessment_id.in_(ids)))
    referrals = {r.assessment_id: r for r in referral_rows}
    feedback = _latest_feedback(session, [r.id for r in referrals.values()])
    asked = _full_requests(
        session, [referrals[a.id].id for a in rows if _asked_for_full(a, referrals.get(a.id))]
    )
    linked = dict(
        session.execute(
            select(Assessment.id, Assessment.reference).where(
                Assessment.id.in_([a.linked_from_id for a in rows if a.linked_from_id is not None])
            )
        ).all()
    )
    urgent = set(
        session.scalars(select(Assessment.id).where(Assessment.id.in_(ids), repository.urgent_now()))
    )
    summaries = []
    for a in rows:
        referral = referrals.get(a.id)
        given = feedback.get(referral.id) if referral is not None else None
        count, last_message = chat.get(a.conversation_id, (0, None))
        summaries.append(
            AssessmentSummary(
                reference=a.reference,
                conversation_id=a.conversation.sender_id,
                channel=a.conversation.channel,
                mode=a.mode,
                status=a.status,
                current_question_id=a.current_question_id,
                answer_values=values.get(a.id, {}),
                messages=count,
                urgent=a.id in urgent,
                lead_unreached_at=a.lead_unreached_at,
                created_at=a.created_at,
                last_used_at=max(a.updated_at, last_message or a.updated_at),
                submitted_at=a.submitted_at,
                review_status=_review_status(a, referral),
                feedback=given[0] if given else None,
                feedback_given_on=given[1] if given else None,
                linked_from=linked.get(a.linked_from_id) if a.linked_from_id is not None else None,
                full_requested_at=a.full_requested_at if _asked_for_full(a, referral) else None,
                full_request_message=asked.get(referral.id) if referral is not None else None,
                scenario_id=a.scenario_id,
            )
        )
    return summaries


def _latest_feedback(session: Session, referral_ids: list[int]) -> dict[int, tuple[str, Any]]:
    """referral id -> (feedback, given on) from its newest decision that has feedback for the referrer."""
    if not referral_ids:
        return {}
    rows = session.execute(
        select(Decision.referral_id, Decision.feedback, Decision.feedback_given_on)
        .where(Decision.referral_id.in_(referral_ids), Decision.feedback.is_not(None))
        .order_by(Decision.id)
    ).all()
    return {referral_id: (text, on) for referral_id, text, on in rows}


def _asked_for_full(assessment: Assessment, referral: Referral | None) -> bool:
    """Whether a lead's request for the full assessment (issue #12) is still open for the practitioner."""
    return (
        assessment.status == AssessmentStatus.IN_PROGRESS
        and assessment.full_requested_at is not None
        and referral is not None
        and referral.status == ReferralStatus.AWAITING_FULL
    )


def _full_requests(session: Session, referral_ids: list[int]) -> dict[int, str]:
    """referral id -> the lead's message with their newest request for the full assessment, verbatim (the
    reason of the move to `awaiting_full`); none when they left it blank."""
    if not referral_ids:
        return {}
    rows = session.execute(
        select(ReferralStatusChange.referral_id, ReferralStatusChange.reason)
        .where(
            ReferralStatusChange.referral_id.in_(referral_ids),
            ReferralStatusChange.to_status == ReferralStatus.AWAITING_FULL.value,
        )
        .order_by(ReferralStatusChange.id)
    ).all()
    newest = {referral_id: reason for referral_id, reason in rows}
    return {referral_id: reason for referral_id, reason in newest.items() if reason is not None}


def _review_status(assessment: Assessment, referral: Referral | None) -> str | None:
    """Where a submitted assessment is in the lead's review; "submitted" until a lead first opens it."""
    if assessment.status == AssessmentStatus.IN_PROGRESS:
        return None
    asked = assessment.full_requested_at is not None
    return case_status(assessment.status, asked, referral.status if referral is not None else None)
