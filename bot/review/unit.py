"""What every review job shares: the viewer read fresh, one transaction per request, and its audit events.

Transactions and audit go through the store's one unit of work (bot.store.unit_of_work): a write is retried
once after a unique-key race, so two leads opening the same new case at once both get it (the second sees
the first one's referral) rather than one of them an error.

Every view of a case writes an audit event (who, what, when, from which address) in the transaction that
reads it, so there is no read without its trail. An attempt to reach a case outside the viewer's scope is
refused as "not found" (the page does not confirm that the case exists) and audited as refused: the refusal
is returned from the transaction (`Refused`) and raised only after its audit event has been committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError, StoreError
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.records import Actor
from bot.questions import BankProvider, QuestionBank, provided
from bot.review.records import Viewer
from bot.store import review_reads
from bot.store.case_rows import CaseRow
from bot.store.clock import utcnow
from bot.store.unit_of_work import UnitOfWork, write
from bot.tracker.database import TrackerPlace

T = TypeVar("T")
NOT_FOUND = {"case": "There is no case with this number that you can open."}
NOT_SUBMITTED = (
    "This case has not been submitted yet: the practitioner may still be writing it. A decision, evidence "
    "tags and status changes wait until it is submitted. Nothing was changed."
)


@dataclass(frozen=True)
class Refused:
    """A refusal decided inside a transaction; raised only after its audit event has been committed."""

    error: StoreError


def unwrap(result: T | Refused) -> T:
    if isinstance(result, Refused):
        raise result.error
    return result


def is_submitted(assessment: CaseRow) -> bool:
    return assessment.status == AssessmentStatus.SUBMITTED


class ReviewUnit:
    """The base of every review job (bot.review.services composes them)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bank: QuestionBank | BankProvider,
        *,
        clock: Callable[[], datetime] = utcnow,
        tracker_db: TrackerPlace | None = None,
    ) -> None:
        self._sessions = session_factory
        # The app's provider, so that a case is shown with the bank the chat now asks from; tests and
        # one-off tools may hand a loaded bank, held fixed (bot.questions.provider.provided).
        self._banks = provided(bank)
        self._clock = clock
        self._tracker_db = tracker_db  # the engine's tracker store, read only for transcripts

    @property
    def bank(self) -> QuestionBank:
        return self._banks.current()

    @property
    def _bank(self) -> QuestionBank:
        return self._banks.current()

    def _write(self, work: Callable[[Session], T]) -> T:
        return write(self._sessions, work)

    def _viewer(self, session: Session, user_id: int, address: str) -> Viewer:
        who = review_reads.viewer(session, user_id, address)
        if who is None:
            raise NotFoundError({"user": "Your account is not active. Sign in again."})
        return who

    def _refuse(self, session: Session, who: Viewer, case_id: int, action: AuditAction) -> Refused:
        # assessment_id is the id asked for, so the refusal shows in that case's own access history.
        self._audit(session, who, action, assessment_id=case_id)
        return Refused(NotFoundError(NOT_FOUND))

    def _refuse_unsubmitted(
        self, session: Session, who: Viewer, assessment: CaseRow, attempted: str
    ) -> Refused:
        """A decision, tag or status change on an urgent case still in progress: refused, audited, and no
        referral made (the referral is made when a submitted case is first opened)."""
        self._audit(
            session, who, AuditAction.CASE_NOT_SUBMITTED_REFUSED, assessment=assessment, attempted=attempted
        )
        return Refused(ConflictError({"status": NOT_SUBMITTED}))

    def _audit(
        self,
        session: Session,
        who: Viewer,
        action: str,
        *,
        assessment: CaseRow | None = None,
        **detail: Any,
    ) -> None:
        if assessment is not None:
            detail.setdefault("reference", assessment.reference)
        UnitOfWork(session, Actor.user(who.user_id), self._clock).audit(
            AuditAction(action), assessment=assessment, user_id=who.user_id, address=who.address, **detail
        )
