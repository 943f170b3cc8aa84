"""StoreService: every change to the record goes through here, in one transaction with its audit event.

Callers (the JSON API, the web pages, the CLI) get plain records back, never ORM rows. Bad input raises
`ValidationError` before anything is written; a well-formed request that clashes with the record raises
`ConflictError`; a missing conversation or assessment raises `NotFoundError`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import (
    SERVICE_ACTOR,
    WITHDRAWN,
    Actor,
    AnswerIn,
    AnswerRecord,
    AssessmentRecord,
    ChatMessage,
    TurnIn,
    UserInfo,
)
from bot.domain.roles import MODES, ROLES
from bot.limits import MAX_ANSWER_CHARS
from bot.store import inputs, notices, repository, validation
from bot.store.audit import record_event
from bot.store.errors import ConflictError, NotFoundError, ValidationError
from bot.store.export import build_export
from bot.store.models import Answer, Assessment, ChatMessageRow, Conversation, Team, UrgentFlag, User, utcnow
from bot.store.passwords import hash_password, needs_rehash, verify_password
from bot.store.references import new_reference
from bot.store.teams_models import TeamsIdentity
from bot.store.transactions import Transactions
from bot.store.urgent_models import Notification, UrgentResponse  # noqa: F401  (used by the urgent services)

# One change to an assessment inside a transaction: returns its audit action (None: nothing changed) and
# the audit detail, which the change may add to.
Change = tuple[Callable[[Session, Assessment], str | None], dict[str, Any]]
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def new_sender_id() -> str:
    """A random conversation id (the engine's sender id) that never starts with "-", so people can pass it to
    `bot assessments export --conversation ID` without the command reading it as an option."""
    while (sender_id := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return sender_id


class StoreService(Transactions):
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
        """The store's sessions, for services over the same database (the review) to share one engine."""
        return self._sessions

    def for_actor(self, actor: Actor) -> StoreService:
        """The same store, with changes audited as made by `actor` (a signed-in user, the CLI)."""
        return StoreService(self._sessions, actor=actor, clock=self._clock)

    # -- users -------------------------------------------------------------------------------------------

    def create_user(
        self, username: str, password: str, role: str, team_name: str, email: str | None = None
    ) -> UserInfo:
        problems = validation.Problems()
        validation.check_username(problems, "username", username)
        validation.check_password(problems, "password", password)
        validation.check_choice(problems, "role", role, ROLES)
        validation.check_display_name(problems, "team", team_name)
        if email is not None:
            notices.check_email(problems, "email", email)
        problems.raise_if_any()
        password_hash = hash_password(password)  # slow on purpose: do it before taking the write lock

        def create(session: Session) -> UserInfo:
            if repository.user_by_name(session, username) is not None:
                raise ConflictError({"username": f"a user called {username!r} already exists"})
            now = self._clock()
            team = repository.team_by_name(session, team_name)
            if team is None:
                team = Team(name=team_name, created_at=now)
                session.add(team)
                session.flush()
                self._audit(session, "team.created", team_id=team.id)
            user = User(
                username=username,
                password_hash=password_hash,
                role=role,
                team=team,
                created_at=now,
                email=email,
            )
            session.add(user)
            session.flush()
            self._audit(session, "user.created", user_id=user.id, role=role, team_id=team.id)
            return repository.user_info(user)

        return self._write(create)

    def set_user_email(self, username: str, email: str) -> UserInfo:
        """Give an account the address its urgent notices go to (replacing any earlier one)."""
        problems = validation.Problems()
        notices.check_email(problems, "email", email)
        problems.raise_if_any()

        def set_email(session: Session) -> UserInfo:
            user = repository.user_by_name(session, username) if inputs.findable(username) else None
            if user is None:
                raise NotFoundError({"username": f"no user called {username!r}"})
            if user.email != email:
                user.email = email
                self._audit(session, "user.email_set", user_id=user.id)  # the address itself stays out
            return repository.user_info(user)

        return self._write(set_email)

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        if not isinstance(password, str) or not inputs.findable(username):
            username = ""  # still verified against a dummy hash below, so every refusal takes as long
        with self._reading() as session:
            user = repository.user_by_name(session, username) if username else None
            user_id, stored_hash = (user.id, user.password_hash) if user and user.active else (None, None)
        # Hashing is slow on purpose, so it happens outside any transaction (and off the SQLite write lock).
        ok = verify_password(stored_hash, password if isinstance(password, str) else "")
        new_hash = hash_password(password) if ok and stored_hash and needs_rehash(stored_hash) else None

        def record(session: Session) -> UserInfo | None:
            if not ok or user_id is None:
                self._audit(session, "user.sign_in_failed", user_id=user.id if user else None)
                return None
            signed_in = session.get(User, user_id)
            if signed_in is None:
                return None
            if new_hash is not None:
                signed_in.password_hash = new_hash
            self._audit(session, "user.signed_in", user_id=user_id)
            return repository.user_info(signed_in)

        return self._write(record)

    def get_user(self, user_id: int) -> UserInfo | None:
        with self._reading() as session:
            user = session.get(User, user_id)
            return repository.user_info(user) if user else None

    # -- conversations and the chat display log ----------------------------------------------------------

    def open_conversation(self, user_id: int | None, channel: str) -> str:
        problems = validation.Problems()
        validation.check_identifier(problems, "channel", channel)
        problems.raise_if_any()

        def open_(session: Session) -> str:
            if user_id is not None and session.get(User, user_id) is None:
                raise NotFoundError({"user_id": f"no user with id {user_id}"})
            sender_id = new_sender_id()
            session.add(
                Conversation(sender_id=sender_id, user_id=user_id, channel=channel, created_at=self._clock())
            )
            self._audit(
                session, "conversation.opened", conversation_id=sender_id, user_id=user_id, channel=channel
            )
            return sender_id

        return self._write(open_)

    def latest_conversation(self, user_id: int) -> str | None:
        with self._reading() as session:
            conversation = repository.latest_conversation_of(session, user_id)
            return conversation.sender_id if conversation else None

    def append_chat_messages(self, conversation_id: str, messages: list[ChatMessage]) -> None:
        inputs.check_chat_messages(messages)
        if not messages:
            return

        def append(session: Session) -> None:
            conversation = self._conversation(session, conversation_id)
            now = self._clock()
            for message in messages:
                session.add(
                    ChatMessageRow(
                        conversation_id=conversation.id,
                        direction=message.direction,
                        text=message.text,
                        buttons=[dict(button) for button in message.buttons],
                        created_at=message.created_at or now,
                    )
                )
            self._audit(session, "chat.appended", conversation_id=conversation_id, count=len(messages))

        self._write(append)

    def chat_messages(self, conversation_id: str) -> list[ChatMessage]:
        with self._reading() as session:
            conversation = self._conversation(session, conversation_id)
            return [repository.chat_message(row) for row in repository.chat_rows(session, conversation.id)]

    # -- assessments -------------------------------------------------------------------------------------

    def start_or_resume(
        self, conversation_id: str, bank_version: str, mode: str | None = None
    ) -> AssessmentRecord:
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        validation.check_display_name(problems, "bank_version", bank_version)
        if mode is not None:
            validation.check_choice(problems, "mode", mode, MODES)
        problems.raise_if_any()

        def start(session: Session) -> AssessmentRecord:
            conversation = self._conversation(session, conversation_id)
            existing = repository.assessment_by_sender(session, conversation_id)
            if existing is not None:
                if mode is not None and mode != existing.mode:
                    raise ConflictError(
                        {"mode": f"this assessment is already in {existing.mode} mode; use set_mode"}
                    )
                return repository.assessment_record(session, existing)
            now = self._clock()
            user = session.get(User, conversation.user_id) if conversation.user_id is not None else None
            assessment = Assessment(
                reference=new_reference(lambda ref: repository.reference_taken(session, ref)),
                conversation=conversation,
                practitioner=user,
                team=user.team if user else None,
                mode=mode or "live",
                status="in_progress",
                bank_version=bank_version,
                urgent=False,
                created_at=now,
                updated_at=now,
            )
            session.add(assessment)
            session.flush()
            self._audit(
                session,
                "assessment.started",
                assessment=assessment,
                reference=assessment.reference,
                mode=assessment.mode,
                bank_version=bank_version,
            )
            return repository.assessment_record(session, assessment)

        return self._write(start)

    def record_answer(self, conversation_id: str, answer: AnswerIn) -> tuple[AnswerRecord, bool]:
        answer = inputs.checked_answer(conversation_id, answer)

        def record(session: Session) -> tuple[AnswerRecord, bool]:
            return self._put_answer(session, self._assessment(session, conversation_id), answer)

        return self._write(record)

    def _put_answer(
        self, session: Session, assessment: Assessment, answer: AnswerIn
    ) -> tuple[AnswerRecord, bool]:
        """Idempotent per (assessment, question, revision): a replay returns the stored answer unchanged."""
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
        _require_in_progress(assessment)
        now = self._clock()
        row = Answer(
            assessment_id=assessment.id,
            question_id=answer.question_id,
            revision=answer.revision,
            wording=answer.wording,
            text=answer.text,
            value=answer.value,
            status=answer.status,
            source=answer.source,
            fact_date=answer.fact_date,
            recorded_at=now,
        )
        session.add(row)
        assessment.updated_at = now
        session.flush()
        self._audit(
            session,
            "answer.recorded",
            assessment=assessment,
            question_id=answer.question_id,
            revision=answer.revision,
            status=answer.status,
        )
        return repository.answer_record(row), True

    def set_position(self, conversation_id: str, question_id: str | None) -> AssessmentRecord:
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        if question_id is not None:
            validation.check_identifier(problems, "question_id", question_id)
        problems.raise_if_any()
        return self._change_assessment(conversation_id, *self._position_change(question_id))

    @staticmethod
    def _position_change(question_id: str | None) -> Change:
        def move(session: Session, assessment: Assessment) -> str | None:
            if assessment.current_question_id == question_id:
                return None
            _require_in_progress(assessment)
            assessment.current_question_id = question_id
            return "assessment.position_set"

        return move, {"question_id": question_id}

    def set_mode(self, conversation_id: str, mode: str) -> AssessmentRecord:
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        validation.check_choice(problems, "mode", mode, MODES)
        problems.raise_if_any()
        return self._change_assessment(conversation_id, *self._mode_change(mode))

    @staticmethod
    def _mode_change(mode: str) -> Change:
        def switch(session: Session, assessment: Assessment) -> str | None:
            if assessment.mode == mode:
                return None
            # Allowed while in progress (the first question asks which it is, and can be answered again); once
            # submitted, a live record must not leave the queue and a rehearsal must not enter it. The trail
            # keeps every switch, with how many answers had been given, for the reviewing lead.
            _require_in_progress(assessment)
            detail.update(
                previous=assessment.mode, answers_recorded=len(repository.all_answers(session, assessment.id))
            )
            assessment.mode = mode
            return "assessment.mode_changed"

        detail: dict[str, Any] = {"mode": mode}
        return switch, detail

    def flag_urgent(self, conversation_id: str, message: str) -> AssessmentRecord:
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        validation.check_text(problems, "message", message, limit=MAX_ANSWER_CHARS, required=True)
        problems.raise_if_any()

        def flag(session: Session, assessment: Assessment) -> str:
            now = self._clock()
            if not assessment.urgent:
                assessment.urgent = True
                assessment.urgent_first_at = now
            flag_row = UrgentFlag(assessment_id=assessment.id, message=message, flagged_at=now)
            session.add(flag_row)
            session.flush()
            # The leads' notices commit with the flag or not at all; a worker delivers them (bot.notify).
            notices.enqueue_urgent_notices(session, assessment, flag_row, now)
            return "assessment.flagged_urgent"

        return self._change_assessment(conversation_id, flag)

    def submit(self, conversation_id: str) -> AssessmentRecord:
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        problems.raise_if_any()
        return self._change_assessment(conversation_id, *self._submit_change())

    def _submit_change(self) -> Change:
        def submit_(session: Session, assessment: Assessment) -> str | None:
            if assessment.status == "submitted":
                return None
            assessment.status = "submitted"
            assessment.submitted_at = self._clock()
            return "assessment.submitted"

        return submit_, {}

    def start_again(self, conversation_id: str) -> AssessmentRecord:
        """Clear every current answer and go back to the first question, in one transaction.

        Nothing is deleted: each cleared answer gets a new "withdrawn" revision, so the history of what was
        said stays for the record while the lead's view shows only what the practitioner stands by. The
        urgent flag and the mode stay: a danger report is never unsaid, and the mode question is asked again.
        Repeating it with nothing left to clear changes nothing, so a retried request is harmless.
        """
        problems = validation.Problems()
        inputs.check_conversation_id(problems, conversation_id)
        problems.raise_if_any()
        return self._change_assessment(conversation_id, *self._start_again_change())

    def _start_again_change(self) -> Change:
        def clear(session: Session, assessment: Assessment) -> str | None:
            rows = repository.all_answers(session, assessment.id)
            current = repository.current_answers(rows)
            if not current and assessment.current_question_id is None:
                return None
            _require_in_progress(assessment)
            now = self._clock()
            revisions = repository.latest_revisions(rows)
            for question_id, answer in current.items():
                session.add(
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
            return "assessment.started_again"

        detail: dict[str, Any] = {}
        return clear, detail

    def apply_turn(self, conversation_id: str, turn: TurnIn) -> AssessmentRecord:
        """Everything one message changes, in one transaction: the answer, the mode, start again, the new
        position and submission, so a crash can never leave an answer recorded but the position not moved.

        The urgent flag is the exception: it commits first, on its own, so that if anything after it is
        refused (a conflicting replay, say) the danger report is still in the record. An urgent detail (an
        answer to a danger follow-up question) is part of the one transaction: it adds to a flag already
        raised, so it is no new danger report and notifies no one.
        """
        inputs.check_turn(conversation_id, turn)  # the TurnIn checked its fields when it was built
        urgent_detail = turn.urgent_detail
        answer = inputs.checked_answer(conversation_id, turn.answer) if turn.answer is not None else None
        if turn.urgent_message is not None:
            self.flag_urgent(conversation_id, turn.urgent_message)

        changes: list[Change] = []
        if urgent_detail is not None:

            def add_detail(session: Session, assessment: Assessment) -> str:
                _require_in_progress(assessment)
                if not assessment.urgent:
                    raise ConflictError({"urgent_detail": "the assessment has no urgent flag to add this to"})
                session.add(
                    UrgentFlag(
                        assessment_id=assessment.id,
                        message=urgent_detail.text,
                        flagged_at=self._clock(),
                        question_id=urgent_detail.question_id,
                        wording=urgent_detail.wording,
                    )
                )
                return "assessment.urgent_detail_recorded"

            changes.append((add_detail, {"question_id": urgent_detail.question_id}))
        if turn.mode is not None:
            changes.append(self._mode_change(turn.mode))
        if turn.start_again:
            changes.append(self._start_again_change())
        if turn.move:
            changes.append(self._position_change(turn.move_to))
        if turn.submit:
            changes.append(self._submit_change())

        def apply(session: Session) -> AssessmentRecord:
            assessment = self._assessment(session, conversation_id)
            if answer is not None:
                self._put_answer(session, assessment, answer)
            for change, detail in changes:
                action = change(session, assessment)
                if action is not None:
                    assessment.updated_at = self._clock()
                    session.flush()
                    self._audit(session, action, assessment=assessment, **detail)
            return repository.assessment_record(session, assessment)

        return self._write(apply)

    def get_assessment(
        self, conversation_id: str | None = None, assessment_id: int | str | None = None
    ) -> AssessmentRecord | None:
        with self._reading() as session:
            assessment = self._find(session, conversation_id, assessment_id)
            return repository.assessment_record(session, assessment) if assessment else None

    def assessment_mode(self, conversation_id: str) -> str | None:
        """Live or rehearsal, without loading the answers: the chat page asks on every view."""
        if not inputs.findable(conversation_id):
            return None
        with self._reading() as session:
            assessment = repository.assessment_by_sender(session, conversation_id)
            return assessment.mode if assessment else None

    def export(
        self, conversation_id: str | None = None, assessment_id: int | str | None = None
    ) -> dict[str, Any]:
        def export_(session: Session) -> dict[str, Any]:
            assessment = self._find(session, conversation_id, assessment_id)
            if assessment is None:
                raise NotFoundError({"assessment": "no assessment matches"})
            self._audit(session, "assessment.exported", assessment=assessment)
            return build_export(session, assessment, self._clock())

        return self._write(export_)

    # -- plumbing ----------------------------------------------------------------------------------------

    def _change_assessment(
        self,
        conversation_id: str,
        change: Callable[[Session, Assessment], str | None],
        detail: dict[str, Any] | None = None,
    ) -> AssessmentRecord:
        """Apply `change`; it returns the audit action (None: nothing changed) and may add to `detail`."""

        def apply(session: Session) -> AssessmentRecord:
            assessment = self._assessment(session, conversation_id)
            action = change(session, assessment)
            if action is not None:  # None: already so, nothing changed, nothing to audit
                assessment.updated_at = self._clock()
                session.flush()
                self._audit(session, action, assessment=assessment, **(detail or {}))
            return repository.assessment_record(session, assessment)

        return self._write(apply)

    def _audit(
        self, session: Session, action: str, *, assessment: Assessment | None = None, **detail: Any
    ) -> None:
        if assessment is not None:
            detail.setdefault("assessment_id", assessment.id)
            detail.setdefault("conversation_id", assessment.conversation.sender_id)
        record_event(session, self._actor, action, self._clock(), **detail)

    def _conversation(self, session: Session, conversation_id: str) -> Conversation:
        conversation = (
            repository.conversation_by_sender(session, conversation_id)
            if inputs.findable(conversation_id)
            else None
        )
        if conversation is None:
            raise NotFoundError({"conversation_id": "no conversation with this id"})
        return conversation

    def _assessment(self, session: Session, conversation_id: str) -> Assessment:
        findable = inputs.findable(conversation_id)
        assessment = repository.assessment_by_sender(session, conversation_id) if findable else None
        if assessment is None:
            self._conversation(session, conversation_id)
            raise NotFoundError(
                {"conversation_id": "this conversation has no assessment yet; start one first"}
            )
        return assessment

    def _find(
        self, session: Session, conversation_id: str | None, assessment_id: int | str | None
    ) -> Assessment | None:
        if (conversation_id is None) == (assessment_id is None):
            raise ValidationError({"assessment": "give exactly one of conversation_id and assessment_id"})
        if conversation_id is not None:
            if not inputs.findable(conversation_id):
                return None
            return repository.assessment_by_sender(session, conversation_id)
        if isinstance(assessment_id, int) and not isinstance(assessment_id, bool):
            return session.get(Assessment, assessment_id)
        if isinstance(assessment_id, str) and assessment_id.isdecimal() and len(assessment_id) < 18:
            return session.get(Assessment, int(assessment_id))
        if isinstance(assessment_id, str):
            if not inputs.findable(assessment_id):
                return None
            return repository.assessment_by_reference(session, assessment_id.upper())
        raise ValidationError({"assessment_id": "must be a number or a reference such as A-7F3K2Q"})

    # -- Microsoft Teams identities (bot.teams) ------------------------------------------------------------

    def find_user(self, username: str) -> UserInfo | None:
        """An account by its sign-in name, for administrators naming the account to link."""
        if not inputs.findable(username):
            return None
        with self._reading() as session:
            user = repository.user_by_name(session, username)
            return repository.user_info(user) if user else None

    def link_teams_user(self, user_id: int, tenant_id: str, aad_object_id: str) -> None:
        """Bind a Teams identity to an account. Linking it again to the same account changes nothing; an
        identity already bound to another account is refused, so a mistake cannot silently move someone's
        messages into another practitioner's assessments."""
        problems = validation.Problems()
        tenant, object_id = (
            _guid(problems, "tenant_id", tenant_id),
            _guid(problems, "aad_object_id", aad_object_id),
        )
        problems.raise_if_any()

        def link(session: Session) -> None:
            if session.get(User, user_id) is None:
                raise NotFoundError({"user_id": f"no user with id {user_id}"})
            existing = session.scalar(
                select(TeamsIdentity).where(
                    TeamsIdentity.tenant_id == tenant, TeamsIdentity.aad_object_id == object_id
                )
            )
            if existing is not None:
                if existing.user_id == user_id:
                    return
                raise ConflictError(
                    {"aad_object_id": "this Teams identity is already linked to another user"}
                )
            session.add(
                TeamsIdentity(
                    tenant_id=tenant, aad_object_id=object_id, user_id=user_id, created_at=self._clock()
                )
            )
            self._audit(session, "teams.linked", user_id=user_id, tenant_id=tenant)

        self._write(link)

    def remember_teams_chat(self, user_id: int, service_url: str, conversation_ref: str, bot_id: str) -> bool:
        """Keep where this person's Teams chat with the bot is (from their latest message), on each of their
        Teams identities, so an urgent notice can be posted to them first. Writes only when it changed, so
        an ordinary message costs one read. Values the columns cannot hold are not stored (logged): the
        person then cannot be messaged first, but their own turn goes on. Returns True when stored anew."""
        wanted = (service_url, conversation_ref, bot_id)
        columns = TeamsIdentity.__table__.c
        limits = (
            columns.service_url.type.length,
            columns.conversation_ref.type.length,
            columns.bot_id.type.length,
        )
        fits = (isinstance(v, str) and len(v) <= n for v, n in zip(wanted, limits, strict=True))
        if not all(fits):
            notices.log.warning("the Teams chat of user %s does not fit the store; not kept", user_id)
            return False
        if not service_url or not conversation_ref:
            return False

        def stale(session: Session) -> list[TeamsIdentity]:
            rows = session.scalars(select(TeamsIdentity).where(TeamsIdentity.user_id == user_id)).all()
            return [row for row in rows if (row.service_url, row.conversation_ref, row.bot_id) != wanted]

        with self._reading() as session:
            if not stale(session):
                return False

        def remember(session: Session) -> bool:
            rows = stale(session)
            for row in rows:
                row.service_url, row.conversation_ref, row.bot_id = wanted
            if rows:
                self._audit(session, "teams.chat_remembered", user_id=user_id, identities=len(rows))
            return bool(rows)

        return self._write(remember)

    def user_for_teams(self, tenant_id: str, aad_object_id: str) -> UserInfo | None:
        """The active account a Teams identity is linked to; None for anything unlinked or malformed."""
        problems = validation.Problems()
        tenant, object_id = (
            _guid(problems, "tenant_id", tenant_id),
            _guid(problems, "aad_object_id", aad_object_id),
        )
        if problems.fields:
            return None
        with self._reading() as session:
            user = session.scalar(
                select(User)
                .join(TeamsIdentity, TeamsIdentity.user_id == User.id)
                .where(TeamsIdentity.tenant_id == tenant, TeamsIdentity.aad_object_id == object_id)
            )
            return repository.user_info(user) if user is not None and user.active else None


def _guid(problems: validation.Problems, name: str, value: object) -> str:
    """Azure AD ids are GUIDs; compared in lower case, as Teams sends them."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        problems.add(name, "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47")
        return ""
    return value.lower()


def _require_in_progress(assessment: Assessment) -> None:
    if assessment.status != "in_progress":
        raise ConflictError({"status": f"assessment {assessment.reference} is already submitted"})
