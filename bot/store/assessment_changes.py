"""The changes one message can make to an assessment, each a function of (unit of work, assessment).

Each returns its audit action, or None when the assessment is already so (nothing changed, nothing to audit),
and may add to its audit detail. Kept as values, not service methods, so that a single request
(AssessmentService.submit, say) and a whole turn (AssessmentService.apply_turn) apply the very same change,
in one transaction however many there are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotPermittedError
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.records import WITHDRAWN, AnswerIn, AnswerRecord, UrgentDetailIn
from bot.domain.referral import Move, allows
from bot.domain.referral import move as referral_move
from bot.domain.roles import Action, permits, roles_permitted
from bot.domain.stages import SubmittedStage
from bot.store import current_answers, notices, repository, review_notices
from bot.store.answer_values import split_value
from bot.store.models import Answer, Assessment, Conversation, UrgentFlag, User
from bot.store.references import new_reference
from bot.store.review_models import Referral, ReferralStatusChange
from bot.store.unit_of_work import UnitOfWork

# One change and its audit detail, which the change may add to.
Change = tuple[Callable[[UnitOfWork, Assessment], AuditAction | None], dict[str, Any]]


def require_in_progress(assessment: Assessment) -> None:
    """A submitted assessment is the record a lead reviews: nothing in it changes any more."""
    if assessment.status != AssessmentStatus.IN_PROGRESS:
        raise ConflictError({"status": f"assessment {assessment.reference} is already submitted"})


def require_may_raise_concerns(user: User | None, doing: str, audit: AuditAction, **detail: object) -> None:
    """Only roles the permission table lets raise concerns start an assessment or report danger (issue #26):
    an administrator's or a coordinator's report would reach no lead. Refused before anything is written;
    the refusal is audited (bot.store.unit_of_work). A conversation with no account behind it (the engine
    driven by hand) names nobody to refuse."""
    if user is None or permits(user.role, Action.RAISE_CONCERNS):
        return
    allowed = " and ".join(f"{role} accounts" for role in roles_permitted(Action.RAISE_CONCERNS))
    raise NotPermittedError(
        {
            "role": f"a {user.role} account cannot {doing}: only {allowed} raise concerns. "
            "If someone is in immediate danger, call 999, then use your organisation's safeguarding route."
        },
        audit=audit,
        user_id=user.id,
        role=user.role,
        **detail,
    )


def apply(uow: UnitOfWork, assessment: Assessment, change: Change) -> None:
    """Make one change, and audit it in the same transaction if it changed anything."""
    make, detail = change
    action = make(uow, assessment)
    if action is not None:
        assessment.updated_at = uow.now()
        uow.session.flush()
        uow.audit(action, assessment=assessment, **detail)


def start_assessment(
    uow: UnitOfWork,
    conversation: Conversation,
    user: User | None,
    *,
    mode: str,
    bank_version: str,
    linked_from: Assessment | None = None,
    scenario_id: str | None = None,
    **detail: Any,
) -> Assessment:
    """A new assessment in progress for `conversation`, audited as started: the one way one is made, whether
    the action server starts it or the practitioner's home page opens it before the engine speaks. Refused
    for an account whose role may not raise concerns."""
    require_may_raise_concerns(
        user,
        "start a screening",
        AuditAction.ASSESSMENT_START_REFUSED,
        conversation_id=conversation.sender_id,
        mode=mode,
    )
    now = uow.now()
    assessment = Assessment(
        reference=new_reference(lambda ref: repository.reference_taken(uow.session, ref)),
        conversation=conversation,
        practitioner=user,
        team=user.team if user else None,
        mode=mode,
        status=AssessmentStatus.IN_PROGRESS,
        bank_version=bank_version,
        urgent=False,
        created_at=now,
        updated_at=now,
        linked_from_id=linked_from.id if linked_from is not None else None,
        scenario_id=scenario_id,
    )
    uow.session.add(assessment)
    uow.session.flush()
    uow.audit(
        AuditAction.ASSESSMENT_STARTED,
        assessment=assessment,
        reference=assessment.reference,
        mode=mode,
        bank_version=bank_version,
        **({"scenario_id": scenario_id} if scenario_id is not None else {}),
        **detail,
    )
    return assessment


def put_answer(uow: UnitOfWork, assessment: Assessment, answer: AnswerIn) -> tuple[AnswerRecord, bool]:
    """Idempotent per (assessment, question, revision): a replay returns the stored answer unchanged."""
    session = uow.session
    existing = repository.answer_revision(session, assessment.id, answer.question_id, answer.revision)
    if existing is not None:
        stored = repository.answer_record(existing)
        if stored.same_content(answer):
            return stored, False
        raise ConflictError(
            {
                "revision": f"revision {answer.revision} of {answer.question_id!r} is already "
                "recorded with different content; send the change as a new revision"
            }
        )
    require_in_progress(assessment)
    now = uow.now()
    plain, sealed = split_value(answer.value, answer.text)
    row = Answer(
        assessment_id=assessment.id,
        question_id=answer.question_id,
        revision=answer.revision,
        wording=answer.wording,
        text=answer.text,
        value=plain,
        sealed_value=sealed,
        status=answer.status,
        source=answer.source,
        fact_date=answer.fact_date,
        recorded_at=now,
    )
    session.add(row)
    assessment.updated_at = now
    session.flush()
    uow.audit(
        AuditAction.ANSWER_RECORDED,
        assessment=assessment,
        question_id=answer.question_id,
        revision=answer.revision,
        status=answer.status,
    )
    return repository.answer_record(row), True


def position(question_id: str | None) -> Change:
    def move(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        if assessment.current_question_id == question_id:
            return None
        require_in_progress(assessment)
        assessment.current_question_id = question_id
        return AuditAction.ASSESSMENT_POSITION_SET

    return move, {"question_id": question_id}


def urgent_flag(message: str, checking_for: timedelta | None = None, known: int | None = None) -> Change:
    """A danger report. `checking_for` is given for one read in typed text: its lead notices wait that long
    for the practitioner's answer to "is anyone in danger now?" (bot.store.danger_check). `known` is how many
    reports the caller saw before this one: if the assessment holds more, this report is already in (raised
    by another path, or by this call before), so nothing is written and nobody is told twice."""

    def flag(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        require_may_raise_concerns(
            assessment.practitioner,
            "report danger through this service",
            AuditAction.ASSESSMENT_URGENT_REFUSED,
            assessment_id=assessment.id,
            conversation_id=assessment.conversation.sender_id,
        )
        if known is not None and repository.danger_reports_held(uow.session, assessment.id) > known:
            return None
        now = uow.now()
        if not assessment.urgent:
            assessment.urgent = True
            assessment.urgent_first_at = now
        flag_row = UrgentFlag(
            assessment_id=assessment.id,
            message=message,
            flagged_at=now,
            checking_until=now + checking_for if checking_for is not None else None,
        )
        uow.session.add(flag_row)
        uow.session.flush()
        # The leads' notices commit with the flag or not at all; a worker delivers them (bot.notify).
        notices.enqueue_urgent_notices(uow.session, assessment, flag_row, now)
        return AuditAction.ASSESSMENT_FLAGGED_URGENT

    return flag, {"checked_with_practitioner": True} if checking_for is not None else {}


def urgent_detail(detail: UrgentDetailIn) -> Change:
    """An answer to a danger follow-up question: it adds to a flag already raised, so it notifies no one."""

    def add_detail(uow: UnitOfWork, assessment: Assessment) -> AuditAction:
        require_in_progress(assessment)
        if not assessment.urgent:
            raise ConflictError({"urgent_detail": "the assessment has no urgent flag to add this to"})
        uow.session.add(
            UrgentFlag(
                assessment_id=assessment.id,
                message=detail.text,
                flagged_at=uow.now(),
                question_id=detail.question_id,
                wording=detail.wording,
            )
        )
        return AuditAction.ASSESSMENT_URGENT_DETAIL_RECORDED

    return add_detail, {"question_id": detail.question_id}


def submission(stage: SubmittedStage = SubmittedStage.FULL) -> Change:
    """Submit to the lead: the whole assessment, or the screening part alone as a Request for Support."""

    def submit(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        if assessment.status == AssessmentStatus.SUBMITTED:
            return None
        now = uow.now()
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = now
        assessment.submitted_stage = stage.value
        _back_to_the_lead(uow, assessment, now)
        # The leads' "submitted for review" notices commit with the submission (issue #26); practice runs
        # queue none. A worker delivers them (bot.notify).
        review_notices.enqueue_submission_notices(uow.session, assessment, now)
        return AuditAction.ASSESSMENT_SUBMITTED

    return submit, {"stage": stage.value}


def _back_to_the_lead(uow: UnitOfWork, assessment: Assessment, now: datetime) -> None:
    """A case whose lead asked for the full assessment (issue #12) goes back to their queue as submitted,
    in the same record, with the move in the referral's status history."""
    referral = uow.session.scalar(select(Referral).where(Referral.assessment_id == assessment.id))
    if referral is None or not allows(referral.status, Move.FULL_SUBMITTED):
        return
    to_status = referral_move(referral.status, Move.FULL_SUBMITTED).value
    uow.session.add(
        ReferralStatusChange(
            referral_id=referral.id,
            from_status=referral.status,
            to_status=to_status,
            changed_by=assessment.practitioner_id,
            changed_at=now,
        )
    )
    referral.status = to_status
    referral.updated_at = now


def start_again() -> Change:
    """Every current answer withdrawn (a new "withdrawn" revision each: nothing is deleted) and the position
    cleared; the urgent flag and the mode stay. With nothing left to clear it changes nothing."""

    def clear(uow: UnitOfWork, assessment: Assessment) -> AuditAction | None:
        marked = current_answers.marked_answers(uow.session, assessment.id)
        current = current_answers.current_by_question(marked)
        if not current and assessment.current_question_id is None:
            return None
        require_in_progress(assessment)
        now = uow.now()
        revisions = repository.latest_revisions(row for row, _current in marked)
        for question_id, answer in current.items():
            uow.session.add(
                Answer(
                    assessment_id=assessment.id,
                    question_id=question_id,
                    revision=revisions[question_id] + 1,
                    wording=answer.wording,
                    text="",
                    value=None,
                    status=WITHDRAWN,
                    source=None,
                    fact_date=None,
                    recorded_at=now,
                )
            )
        assessment.current_question_id = None
        assessment.updated_at = now
        detail["answers_withdrawn"] = len(current)
        return AuditAction.ASSESSMENT_STARTED_AGAIN

    detail: dict[str, Any] = {}
    return clear, detail
