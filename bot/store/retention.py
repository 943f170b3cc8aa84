"""The retention job and legal holds (issue #31): erase cases whose period in the schedule is over, never a
held one, and record what went without its content.

`erase_expired` finds the expired cases of each record type (bot.domain.retention) and erases them through
bot.store.erasure, the same code `bot scenarios purge` uses, in one transaction; a dry run does exactly the
same deletions in a transaction that is rolled back, so its list and counts are the real ones and nothing
changes. The engine's tracker events go afterwards, by the sender ids returned (the caller, bot.cli).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError, NotPermittedError, ValidationError
from bot.domain.lifecycle import Mode
from bot.domain.referral import ReferralStatus
from bot.domain.retention import RecordType, RetentionSchedule
from bot.domain.roles import Action, Role, as_role, permits
from bot.store.erasure import ErasedCase, erase_cases
from bot.store.models import Assessment, User
from bot.store.practice_purge import practice_runs_started_before
from bot.store.retention_models import LegalHold
from bot.store.review_models import Referral, ReferralStatusChange
from bot.store.unit_of_work import Service, UnitOfWork

MAX_REASON = 2000


@dataclass(frozen=True)
class Erasure:
    """One run of the job: the cases erased (or that would be, in a dry run), oldest first by type."""

    cases: tuple[ErasedCase, ...]
    dry_run: bool

    @property
    def sender_ids(self) -> tuple[str, ...]:
        return tuple(case.sender_id for case in self.cases)


@dataclass(frozen=True)
class Hold:
    reference: str
    reason: str
    set_at: datetime
    set_by: str = ""  # the username of whoever set it


@dataclass(frozen=True)
class HoldState:
    """Whether a case is under a legal hold now, as the case page and the hold page show it."""

    case_id: int
    reference: str
    hold: Hold | None


# A case is named by its reference (the CLI) or by its id (the web pages' /cases/{id} addresses).
CaseKey = str | int


class RetentionService(Service):
    def erase_expired(self, schedule: RetentionSchedule, *, dry_run: bool = False) -> Erasure:
        def run(uow: UnitOfWork) -> Erasure:
            cases: list[ErasedCase] = []
            for record in RecordType:
                cases += erase_cases(
                    uow, _expired(uow, record, schedule), record, AuditAction.CASE_ERASED, dry_run=dry_run
                )
            return Erasure(tuple(cases), dry_run)

        if not dry_run:
            return self._write(run)
        with self._reading() as uow:
            try:
                return run(uow)
            finally:
                uow.session.rollback()  # a dry run changes nothing

    def record_run(self, erasure: Erasure, tracker_events: int) -> None:
        """The run's own audit event, once the tracker's events have gone too: references and counts."""
        self._write(
            lambda uow: uow.audit(
                AuditAction.RETENTION_RUN,
                references=[case.reference for case in erasure.cases],
                cases=len(erasure.cases),
                tracker_events=tracker_events,
            )
        )

    def hold_state(self, user_id: int, case: CaseKey) -> HoldState:
        """The case's legal hold now, for whoever may set or lift one; a refusal is audited (a write
        transaction for that reason alone: reading changes nothing)."""

        def read(uow: UnitOfWork) -> HoldState:
            assessment = _permitted_case(uow, user_id, case)
            return HoldState(assessment.id, assessment.reference, active_hold(uow.session, assessment.id))

        return self._write(read)

    def set_hold(self, user_id: int, case: CaseKey, reason: str) -> Hold:
        """Put the case under a legal hold (a lead of its team, or an admin); refused if already held.
        Who may is checked before the reason, so that someone refused learns nothing of the case."""

        def hold(uow: UnitOfWork) -> Hold:
            assessment = _permitted_case(uow, user_id, case)
            text = _reason(reason, "the legal hold")
            reference = assessment.reference
            if _active_hold(uow, assessment) is not None:
                raise ConflictError({"reference": f"{reference} is already under a legal hold"})
            row = LegalHold(assessment_id=assessment.id, reason=text, set_by=user_id, set_at=uow.now())
            uow.session.add(row)
            uow.session.flush()
            uow.audit(AuditAction.LEGAL_HOLD_SET, assessment=assessment, reference=reference, hold_id=row.id)
            return Hold(reference, text, row.set_at, uow.user(user_id).username)

        return self._write(hold)

    def lift_hold(self, user_id: int, case: CaseKey, reason: str) -> None:
        def lift(uow: UnitOfWork) -> None:
            assessment = _permitted_case(uow, user_id, case)
            text = _reason(reason, "lifting the legal hold")
            reference = assessment.reference
            row = _active_hold(uow, assessment)
            if row is None:
                raise ConflictError({"reference": f"{reference} is not under a legal hold"})
            row.lifted_reason, row.lifted_by, row.lifted_at = text, user_id, uow.now()
            uow.audit(
                AuditAction.LEGAL_HOLD_LIFTED, assessment=assessment, reference=reference, hold_id=row.id
            )

        self._write(lift)

    def held_references(self) -> tuple[str, ...]:
        with self._reading() as uow:
            return tuple(
                uow.session.scalars(
                    select(Assessment.reference)
                    .join(LegalHold, LegalHold.assessment_id == Assessment.id)
                    .where(LegalHold.lifted_at.is_(None))
                    .order_by(Assessment.reference)
                )
            )


def _expired(uow: UnitOfWork, record: RecordType, schedule: RetentionSchedule) -> Select[Any]:
    """(id, reference, since) of the cases of this type whose period ended before now."""
    if record is RecordType.PRACTICE_RUN:
        return practice_runs_started_before(uow, schedule.period(record))
    cutoff = uow.now() - schedule.period(record)
    if record is RecordType.UNSUBMITTED_DRAFT:
        return select(Assessment.id, Assessment.reference, Assessment.updated_at).where(
            Assessment.mode == Mode.LIVE, Assessment.submitted_at.is_(None), Assessment.updated_at < cutoff
        )
    # A closed case counts from its latest closing; a reopened case is not closed, so it is never found.
    closed_at = (
        select(ReferralStatusChange.referral_id, func.max(ReferralStatusChange.changed_at).label("at"))
        .where(ReferralStatusChange.to_status == ReferralStatus.CLOSED)
        .group_by(ReferralStatusChange.referral_id)
        .subquery()
    )
    return (
        select(Assessment.id, Assessment.reference, closed_at.c.at)
        .join(Referral, Referral.assessment_id == Assessment.id)
        .join(closed_at, closed_at.c.referral_id == Referral.id)
        .where(
            Assessment.mode == Mode.LIVE,
            Referral.status == ReferralStatus.CLOSED,
            closed_at.c.at < cutoff,
        )
    )


def _reason(reason: str, what: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": f"Enter the reason for {what}"})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON:,} characters or fewer"})
    return text


def _permitted_case(uow: UnitOfWork, user_id: int, case: CaseKey) -> Assessment:
    user = uow.user(user_id)
    named = Assessment.id == case if isinstance(case, int) else Assessment.reference == case
    assessment = uow.session.scalar(select(Assessment).where(named))
    if assessment is None:
        raise NotFoundError({"reference": f"no case with reference {case}"})
    own_team = as_role(user.role) is Role.ADMIN or user.team_id == assessment.team_id
    if not (user.active and permits(user.role, Action.HOLD_CASES) and own_team):
        raise NotPermittedError(
            {"reference": "only a lead of the case's team, or an admin, may set or lift a legal hold"},
            audit=AuditAction.LEGAL_HOLD_REFUSED,
            user_id=user_id,
            assessment_id=assessment.id,
        )
    return assessment


def active_hold(session: Session, assessment_id: int) -> Hold | None:
    """The case's hold in force, with who set it: for the case page (bot.review) and the hold page."""
    found = session.execute(
        select(LegalHold, User.username, Assessment.reference)
        .join(User, User.id == LegalHold.set_by)
        .join(Assessment, Assessment.id == LegalHold.assessment_id)
        .where(LegalHold.assessment_id == assessment_id, LegalHold.lifted_at.is_(None))
    ).first()
    if found is None:
        return None
    row, username, reference = found
    return Hold(reference, row.reason, row.set_at, username)


def _active_hold(uow: UnitOfWork, assessment: Assessment) -> LegalHold | None:
    return uow.session.scalar(
        select(LegalHold).where(LegalHold.assessment_id == assessment.id, LegalHold.lifted_at.is_(None))
    )
