"""The store's services by aggregate, composed once over one session factory: `Store`.

Every change to the record goes through one of them, in one transaction with its audit event (see
bot.store.unit_of_work); callers (the JSON API, the web pages, the Teams channel, the CLI) get plain records
back, never ORM rows. The composition root (bot.web.app, bot.cli, bot.runtime) builds one `Store` and hands
each caller the store, or the one service it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from bot.domain.limits import DEFAULT_TYPED_DANGER_CHECK_SECONDS
from bot.domain.records import SERVICE_ACTOR, Actor
from bot.store.clock import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.store.accounts import AccountService
    from bot.store.assessments import AssessmentService
    from bot.store.conversations import ConversationService
    from bot.store.key_rotation import KeyRotationService
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

    # Each service is made, and its module imported, when first asked for: a `bot` command is a process of
    # its own that uses one or two of them (`bot user add` the users), and importing every service's module
    # (the case records, erasure, the PostgreSQL dialect's types) cost each such command's start 0.1-0.2 s.
    # Each module registers the tables it needs on Base itself (erasure and the migrations import them all).

    @cached_property
    def users(self) -> UserService:
        from bot.store.users import UserService

        return UserService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def accounts(self) -> AccountService:
        from bot.store.accounts import AccountService

        return AccountService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def second_factor(self) -> SecondFactorService:
        from bot.store.second_factor import SecondFactorService

        return SecondFactorService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def teams(self) -> TeamsIdentityService:
        from bot.store.teams_identities import TeamsIdentityService

        return TeamsIdentityService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def conversations(self) -> ConversationService:
        from bot.store.conversations import ConversationService

        return ConversationService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def assessments(self) -> AssessmentService:
        from bot.store.assessments import AssessmentService

        return AssessmentService(
            self._sessions, actor=self._actor, clock=self._clock, typed_danger_check=self._typed_danger_check
        )

    @cached_property
    def practitioners(self) -> PractitionerService:
        from bot.store.practitioner import PractitionerService

        return PractitionerService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def practice(self) -> PracticePurgeService:
        from bot.store.practice_purge import PracticePurgeService

        return PracticePurgeService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def practice_moves(self) -> PracticeMoveService:
        from bot.store.practice_move import PracticeMoveService

        return PracticeMoveService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def retention(self) -> RetentionService:
        from bot.store.retention import RetentionService

        return RetentionService(self._sessions, actor=self._actor, clock=self._clock)

    @cached_property
    def keys(self) -> KeyRotationService:
        from bot.store.key_rotation import KeyRotationService

        return KeyRotationService(self._sessions, actor=self._actor, clock=self._clock)

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
