"""One unit of work: a transaction's session, the time it runs at and the actor its audit trail names.

Every service by aggregate (users, Teams identities, conversations, assessments, a practitioner's own
assessments) derives from `Service`, so each reads and writes the same way (bot.store.transactions: reads
without the write lock, one retry after a unique-key race) and audits the same way: the event goes into the
change's own transaction, so a change and its trail commit together or not at all. The lookups that every
request about a conversation starts with, and their refusals, live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Self, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError
from bot.domain.records import SERVICE_ACTOR, Actor
from bot.store import inputs, repository, transactions
from bot.store.audit import record_event
from bot.store.models import Assessment, Conversation, User, utcnow

T = TypeVar("T")


class UnitOfWork:
    """What one transaction's work is given: the session, the clock and the actor to audit as."""

    def __init__(self, session: Session, actor: Actor, clock: Callable[[], datetime]) -> None:
        self.session = session
        self.actor = actor
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    def audit(self, action: AuditAction, *, assessment: Assessment | None = None, **detail: Any) -> None:
        """An audit event in this transaction; an assessment's event also names its conversation."""
        if assessment is not None:
            detail.setdefault("assessment_id", assessment.id)
            detail.setdefault("conversation_id", assessment.conversation.sender_id)
        record_event(self.session, self.actor, action, self._clock(), **detail)

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
        with transactions.read_only(self._sessions) as session:
            yield UnitOfWork(session, self._actor, self._clock)

    def _write(self, work: Callable[[UnitOfWork], T]) -> T:
        """`work` in one transaction. A refusal by role (NotPermittedError) rolls the work back, and is then
        audited on its own, so the trail shows who tried what and nothing else is written."""
        try:
            return transactions.write(
                self._sessions, lambda session: work(UnitOfWork(session, self._actor, self._clock))
            )
        except NotPermittedError as refused:
            if refused.audit is not None:
                action, detail = refused.audit, refused.detail
                transactions.write(
                    self._sessions,
                    lambda session: record_event(session, self._actor, action, self._clock(), **detail),
                )
            raise
