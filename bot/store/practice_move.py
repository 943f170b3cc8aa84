"""A practice run that turns out to be about a real child moves to live (issue #13), in one audited step.

Who: the trainee on their own run, or a trainer of the trainee's team (Action.MOVE_PRACTICE_TO_LIVE); the
trainee must be someone who raises concerns, since the live assessment is theirs. What: in one transaction
the run's mode becomes live and its scenario link goes, so the answers (verbatim, untouched) are a live
assessment of the trainee's team under their name; the practice purge no longer selects it (it selects
rehearsal runs only); leads see it as they see any live assessment of their team (at once if it was
submitted, with the submission notice a live submission sends; else once submitted). One row keeps the
reason typed, verbatim, and one audit event names the run, the row and the scenario. Live never becomes
practice: nothing here or elsewhere sets a live run's mode back.

The engine needs nothing told: every turn the actions read the assessment's mode from the store
(bot.dialogue reads `record.mode`), so the next reply is already live; the web chat's "Scenario update
(fictional)" moment follows the scenario link, which is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.lifecycle import AssessmentStatus, Mode
from bot.domain.roles import Action, permits
from bot.store import review_notices
from bot.store.models import Assessment, AuditEvent, User
from bot.store.practice_move_models import PracticeMove
from bot.store.unit_of_work import Service, UnitOfWork

REASON_LIMIT = 2000  # characters: why it is real, not the account itself
NO_RUN = (
    "There is no practice run with this reference that you can move to live. Only the trainee, or a trainer "
    "of their team, can move a practice run."
)
PURGED = (
    "This practice run was deleted at the end of the practice period, so it cannot be moved to live. If it "
    "was about a real child, start a new screening and tell your safeguarding lead."
)
NOT_ALLOWED = "Only the trainee, or a trainer of their team, can move a practice run to live."
NOT_A_RAISER = "The trainee's account cannot raise concerns, so their run cannot become a live assessment."
EMPTY_REASON = "Enter why this practice run is about a real child."
LONG_REASON = f"The reason must be {REASON_LIMIT:,} characters or fewer."


@dataclass(frozen=True)
class MovableRun:
    """A practice run as the confirmation page describes it, before the move."""

    reference: str
    trainee: str
    team: str
    submitted: bool
    urgent: bool
    own: bool  # the mover is the trainee


@dataclass(frozen=True)
class MovedRun:
    reference: str
    own: bool


class PracticeMoveService(Service):
    def movable_run(self, user_id: int, reference: str) -> MovableRun:
        """The run this user may move; NotFoundError (audited) otherwise, with the purge said plainly."""
        with self._reading() as uow:
            mover = uow.user(user_id)
            assessment = _run_in_reach(uow, mover, reference)
            if assessment is None:
                raise NotFoundError({"reference": PURGED if _was_purged(uow, reference) else NO_RUN})
            return _movable(assessment, mover)

    def move_to_live(self, user_id: int, reference: str, reason: str) -> MovedRun:
        """Move the run to live for good; a NotPermitted, NotFound or ValidationError changes nothing."""

        def move(uow: UnitOfWork) -> MovedRun | NotFoundError | ValidationError:
            mover = uow.user(user_id)
            if not permits(mover.role, Action.MOVE_PRACTICE_TO_LIVE):
                raise NotPermittedError(
                    {"role": NOT_ALLOWED}, audit=AuditAction.PRACTICE_MOVE_REFUSED, reference=reference
                )
            assessment = _run_in_reach(uow, mover, reference)
            if assessment is None:
                uow.audit(AuditAction.PRACTICE_MOVE_REFUSED, reference=reference)
                return NotFoundError({"reference": PURGED if _was_purged(uow, reference) else NO_RUN})
            problem = reason_problem(reason)
            if problem is not None:
                return ValidationError({"reason": problem})
            trainee = assessment.practitioner
            if trainee is None or not permits(trainee.role, Action.RAISE_CONCERNS):
                return ValidationError({"trainee": NOT_A_RAISER})
            now = uow.now()
            row = PracticeMove(
                assessment_id=assessment.id,
                moved_by=mover.id,
                reason=reason,
                scenario_id=assessment.scenario_id,
                moved_at=now,
            )
            uow.session.add(row)
            assessment.mode = Mode.LIVE
            assessment.scenario_id = None
            assessment.updated_at = now
            uow.session.flush()
            uow.audit(
                AuditAction.PRACTICE_MOVED_TO_LIVE,
                assessment=assessment,
                move_id=row.id,
                scenario=row.scenario_id,
                submitted=assessment.status == AssessmentStatus.SUBMITTED,
            )
            if assessment.status == AssessmentStatus.SUBMITTED:
                # Submitted already: it reaches the team's reviewers now, as a live submission would.
                review_notices.enqueue_submission_notices(uow.session, assessment, now)
            return MovedRun(assessment.reference, own=assessment.practitioner_id == mover.id)

        result = self._write(move)
        if isinstance(result, NotFoundError | ValidationError):
            raise result
        return result


def reason_problem(reason: str) -> str | None:
    """What is wrong with the reason, or None. Whitespace alone is empty; the length counts what was typed."""
    if not reason.strip():
        return EMPTY_REASON
    if len(reason) > REASON_LIMIT:
        return LONG_REASON
    return None


def _run_in_reach(uow: UnitOfWork, mover: User, reference: str) -> Assessment | None:
    """The practice run with this reference that `mover` may move: their own, or as a trainer their team's."""
    if not permits(mover.role, Action.MOVE_PRACTICE_TO_LIVE):
        return None
    assessment = uow.session.scalar(
        select(Assessment).where(Assessment.reference == reference, Assessment.mode == Mode.REHEARSAL)
    )
    if assessment is None:
        return None
    own = assessment.practitioner_id == mover.id
    team = permits(mover.role, Action.OVERSEE_PRACTICE) and assessment.team_id == mover.team_id
    return assessment if own or team else None


def _was_purged(uow: UnitOfWork, reference: str) -> bool:
    """Whether the practice purge deleted a run with this reference (its audit event keeps the reference)."""
    found = uow.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == AuditAction.PRACTICE_RUN_PURGED,
            AuditEvent.detail["reference"].as_string() == reference,
        )
        .limit(1)
    )
    return found is not None


def _movable(assessment: Assessment, mover: User) -> MovableRun:
    trainee = assessment.practitioner
    return MovableRun(
        reference=assessment.reference,
        trainee=trainee.username if trainee is not None else "",
        team=assessment.team.name if assessment.team is not None else "",
        submitted=assessment.status == AssessmentStatus.SUBMITTED,
        urgent=assessment.urgent,
        own=assessment.practitioner_id == mover.id,
    )
