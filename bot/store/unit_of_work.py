"""One unit of work: a transaction's session, the time it runs at and the actor its audit trail names.

The one way to run a transaction over the store (issue #29): `read_only` reads without taking the write lock
(on SQLite a read that took it would queue behind every writer, see bot.store.db), and `write` runs the work
in one transaction, once more after a unique-key race so the second caller sees the winner's row (two leads
opening the same new case at once both insert its referral). Every audit event goes through
`UnitOfWork.audit`, into the change's own transaction, so a change and its trail commit together or not at
all.

The services by aggregate (users, Teams identities, conversations, assessments, a practitioner's own
assessments) derive from `Service`; the services over bare sessions (the outbox, the held messages, the ended
sessions) from `Transactions`; the review and the reports call `read_only`, `write` and `UnitOfWork` directly.
The lookups that every request about a conversation starts with, and their refusals, live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Self, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError
from bot.domain.records import SERVICE_ACTOR, Actor
from bot.store import inputs, repository
from bot.store.audit import record_event
from bot.store.case_rows import CaseRow
from bot.store.db import READ_ONLY_OPTION
from bot.store.models import Assessment, Conversation, User, utcnow

T = TypeVar("T")


@contextmanager
def read_only(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction starts as a reader (a plain BEGIN on SQLite)."""
    with sessions() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        yield session


def write(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction; on a unique-key race, run it once more to see the winner's row."""
    try:
        with sessions.begin() as session:
            return work(session)
    except IntegrityError:
        with sessions.begin() as session:
            return work(session)


class UnitOfWork:
    """What one transaction's work is given: the session, the clock and the actor to audit as."""

    def __init__(self, session: Session, actor: Actor, clock: Callable[[], datetime]) -> None:
        self.session = session
        self.actor = actor
        self._clock = clock

    @classmethod
    def at(cls, session: Session, actor: Actor, now: datetime) -> UnitOfWork:
        """A unit inside a transaction already running, whose events carry the change's own time `now`
        (the notices queued by a change made elsewhere in the store)."""
        return cls(session, actor, lambda: now)

    def now(self) -> datetime:
        return self._clock()

    def audit(
        self,
        action: AuditAction,
        *,
        assessment: CaseRow | None = None,
        actor: Actor | None = None,
        at: datetime | None = None,
        **detail: Any,
    ) -> None:
        """An audit event in this transaction, as this unit's actor unless another is named (a reviewer known
        only once the transaction has read who they are), at the unit's clock unless the change's own time is
        given; an assessment's event also names its conversation."""
        if assessment is not None:
            detail.setdefault("assessment_id", assessment.id)
            detail.setdefault("conversation_id", assessment.conversation.sender_id)
        record_event(self.session, actor or self.actor, action, at or self._clock(), **detail)

    def user(self, user_id: int) -> User:
        user = self.session.get(User, user_id)
        if user is None:
            raise NotFoundError({"user_id": f"no user with id {user_id}"})
        return user

    def conversation(self, conversation_id: str) -> Conversation:
        """The conversation with this engine sender id; an id that could not be stored finds nothing."""
        conversation = (
            repository.conversation_by_sender(self.session, conversation_id)
            if inputs.findable(conversation_id)
            else None
        )
        if conversation is None:
            raise NotFoundError({"conversation_id": "no conversation with this id"})
        return conversation

    def assessment(self, conversation_id: str) -> Assessment:
        """The conversation's assessment; the refusal says whether the conversation or the assessment is
        missing, so the engine knows to start one."""
        findable = inputs.findable(conversation_id)
        assessment = repository.assessment_by_sender(self.session, conversation_id) if findable else None
        if assessment is None:
            self.conversation(conversation_id)
            raise NotFoundError(
                {"conversation_id": "this conversation has no assessment yet; start one first"}
            )
        return assessment


class Service:
    """A base for the services by aggregate: `_reading()` and `_write(work)` hand the work a UnitOfWork."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        actor: Actor = SERVICE_ACTOR,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = session_factory
        self._actor = actor
        self._clock = clock

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._sessions

    def for_actor(self, actor: Actor) -> Self:
        """The same service, with changes audited as made by `actor` (a signed-in user, the CLI)."""
        return type(self)(self._sessions, actor=actor, clock=self._clock)

    @contextmanager
    def _reading(self) -> Iterator[UnitOfWork]:
        with read_only(self._sessions) as session:
            yield UnitOfWork(session, self._actor, self._clock)

    def _write(self, work: Callable[[UnitOfWork], T]) -> T:
        """`work` in one transaction. A refusal by role (NotPermittedError) rolls the work back, and is then
        audited on its own, so the trail shows who tried what and nothing else is written."""
        try:
            return write(self._sessions, lambda session: work(UnitOfWork(session, self._actor, self._clock)))
        except NotPermittedError as refused:
            if refused.audit is not None:
                action, detail = refused.audit, refused.detail
                write(
                    self._sessions,
                    lambda session: UnitOfWork(session, self._actor, self._clock).audit(action, **detail),
                )
            raise


class Transactions:
    """A base for services that work on bare sessions (the outbox, the held messages, the ended sessions):
    `_reading()` for a read-only session, `_write(work)` for one transaction, `_unit(session, actor)` to audit
    in it."""

    _sessions: sessionmaker[Session]
    _clock: Callable[[], datetime]

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with read_only(self._sessions) as session:
            yield session

    def _write(self, work: Callable[[Session], T]) -> T:
        return write(self._sessions, work)

    def _unit(self, session: Session, actor: Actor) -> UnitOfWork:
        return UnitOfWork(session, actor, self._clock)
