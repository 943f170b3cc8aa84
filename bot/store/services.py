"""The store's services by aggregate, composed once over one session factory: `Store`.

Every change to the record goes through one of them, in one transaction with its audit event (see
bot.store.unit_of_work); callers (the JSON API, the web pages, the Teams channel, the CLI) get plain records
back, never ORM rows. The composition root (bot.web.app, bot.cli, bot.runtime) builds one `Store` and hands
each caller the store, or the one service it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.limits import DEFAULT_TYPED_DANGER_CHECK_SECONDS
from bot.domain.records import SERVICE_ACTOR, Actor
from bot.store.accounts import AccountService
from bot.store.assessments import AssessmentService
from bot.store.conversations import ConversationService
from bot.store.key_rotation import KeyRotationService
from bot.store.models import utcnow
from bot.store.practice_move import PracticeMoveService
from bot.store.practice_purge import PracticePurgeService
from bot.store.practitioner import PractitionerService
from bot.store.retention import RetentionService
from bot.store.second_factor import SecondFactorService
from bot.store.teams_identities import TeamsIdentityService
from bot.store.users import UserService


class Store:
    """The services over one database, all auditing as one actor."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        actor: Actor = SERVICE_ACTOR,
        clock: Callable[[], datetime] = utcnow,
        typed_danger_check: timedelta = timedelta(seconds=DEFAULT_TYPED_DANGER_CHECK_SECONDS),
    ) -> None:
        self._sessions = session_factory
        self._actor = actor
        self._clock = clock
        self._typed_danger_check = typed_danger_check
        self.users = UserService(session_factory, actor=actor, clock=clock)
        self.accounts = AccountService(session_factory, actor=actor, clock=clock)
        self.second_factor = SecondFactorService(session_factory, actor=actor, clock=clock)
        self.teams = TeamsIdentityService(session_factory, actor=actor, clock=clock)
        self.conversations = ConversationService(session_factory, actor=actor, clock=clock)
        self.assessments = AssessmentService(
            session_factory, actor=actor, clock=clock, typed_danger_check=typed_danger_check
        )
        self.practitioners = PractitionerService(session_factory, actor=actor, clock=clock)
        self.practice = PracticePurgeService(session_factory, actor=actor, clock=clock)
        self.practice_moves = PracticeMoveService(session_factory, actor=actor, clock=clock)
        self.retention = RetentionService(session_factory, actor=actor, clock=clock)
        self.keys = KeyRotationService(session_factory, actor=actor, clock=clock)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The store's sessions, for services over the same database (the review, the outbox) to share one
        engine."""
        return self._sessions

    @property
    def clock(self) -> Callable[[], datetime]:
        """The store's wall clock, so that the review reads "now" (a case's wait) as the store writes it, and
        a test that moves one moves both."""
        return self._clock

    def for_actor(self, actor: Actor) -> Store:
        """The same store, with changes audited as made by `actor` (a signed-in user, the CLI)."""
        return Store(
            self._sessions, actor=actor, clock=self._clock, typed_danger_check=self._typed_danger_check
        )
