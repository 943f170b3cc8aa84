"""Database tables of the referral store.

The schema is changed only by Alembic migrations (bot/store/migrations); a test checks that the head
migration and these models agree. Later work (referrals, lead decisions, transcripts, VAF tags) hangs new
tables off `assessments.id` in new migrations; nothing here needs to change for that.

Audit rows deliberately carry plain ids, not foreign keys, so that deleting a record at the end of its
retention period never deletes or blocks the trail that says it existed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.domain.roles import ROLES
from bot.domain.vocabulary import sql_list

# Named here too for the modules that still take it from the models; new code imports bot.store.clock.
from bot.store.clock import utcnow as utcnow
from bot.store.encrypted_text import EncryptedText

# Named constraints keep migrations reproducible and let SQLite batch mode find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN ({sql_list(ROLES)})", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Where urgent notices go (0008). Optional: a lead without one is reached through Teams or not at all,
    # which the notifier detects and escalates.
    email: Mapped[str | None] = mapped_column(String(254))

    team: Mapped[Team] = relationship(lazy="joined")


class Conversation(Base):
    """One chat: `sender_id` is the random id the dialogue engine knows it by."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(100), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatMessageRow(Base):
    """The web chat's display log; `text` is verbatim. Transcripts of record come from the engine later."""

    __tablename__ = "chat_messages"
    __table_args__ = (CheckConstraint("direction IN ('in', 'out')", name="direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(EncryptedText("chat_messages", "text"))  # sealed at rest (0034)
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("mode IN ('live', 'rehearsal')", name="mode"),
        # Issue #13: only a practice run is started from a scenario (0022).
        CheckConstraint("scenario_id IS NULL OR mode = 'rehearsal'", name="scenario_mode"),
        CheckConstraint("status IN ('in_progress', 'submitted')", name="status"),
        CheckConstraint(
            "submitted_stage IS NULL OR submitted_stage IN ('screening', 'full')", name="submitted_stage"
        ),
        Index("ix_assessments_mode_status", "mode", "status"),
        # The lead's and trainer's case list: their team, their mode, submitted, newest first (0007).
        Index("ix_assessments_case_list", "team_id", "mode", "status", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), unique=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    bank_version: Mapped[str] = mapped_column(String(100))
    current_question_id: Mapped[str | None] = mapped_column(String(100))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_first_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Screening only (a Request for Support) or the full assessment; null until submitted (0016).
    submitted_stage: Mapped[str | None] = mapped_column(String(16))
    # When a lead last asked for the full assessment after a Request for Support (issue #12, 0018): the
    # assessment is in progress again, and its lead may still open it while they wait.
    full_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A submitted assessment is read-only; something to add later starts a new one linked to it (0008).
    linked_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    # When the notifier gave up reaching any lead about an urgent flag and told the practitioner to phone.
    lead_unreached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The rehearsal scenario a practice run was started from (issue #13, 0022); fixed with the mode.
    scenario_id: Mapped[str | None] = mapped_column(String(60))

    conversation: Mapped[Conversation] = relationship(lazy="joined")
    practitioner: Mapped[User | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")


class UrgentFlag(Base):
    """Each message that raised the urgent flag, verbatim, in order, and the answers to the danger
    follow-up questions (what is happening, 999, where the young person is, who is with them).

    `question_id` is None for a danger report itself; for a follow-up answer it names the follow-up and
    `wording` keeps the question as it was asked (0008).

    `checking_until` is set on a danger report read in what the practitioner typed (0014): its lead notices
    wait until then for the practitioner's answer to "is anyone in danger now?" (bot.store.danger_check)."""

    __tablename__ = "urgent_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    message: Mapped[str] = mapped_column(EncryptedText("urgent_flags", "message"))  # sealed (0035)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    question_id: Mapped[str | None] = mapped_column(String(100))
    wording: Mapped[str | None] = mapped_column(Text)
    checking_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Answer(Base):
    """Every revision of every answer; the current answer to a question is its highest revision.

    A "withdrawn" revision (written only by AssessmentService.start_again, never sent by a client) means the
    practitioner cleared the answer: the question counts as unanswered, and the earlier revisions stay."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", "revision", name="uq_answers_revision"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("status IN ('answered', 'skipped', 'unsure', 'withdrawn')", name="status"),
        # The reports count a few questions' answers across every case of a period (bot.store.report_queries).
        Index("ix_answers_question_assessment", "question_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(Integer)
    wording: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(EncryptedText("answers", "text"))  # sealed at rest (0034)
    # A closed answer's value (choice ids, yes/no) stays plain for the reports' SQL; any other value (free
    # text, ages, dates) is sealed as JSON in sealed_value instead, and `value` is null (0036,
    # bot.store.answer_values): read both through answer_values.joined_value.
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    sealed_value: Mapped[str | None] = mapped_column(EncryptedText("answers", "sealed_value"))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(EncryptedText("answers", "source"))  # sealed (0035)
    fact_date: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Insert-only trail of who did what and when. Holds ids and labels, never the free text itself."""

    __tablename__ = "audit_events"
    __table_args__ = (CheckConstraint("actor_kind IN ('user', 'service', 'cli')", name="actor_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(100))
    assessment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The hash chain (bot/domain/audit_chain.py, migration 0025): the previous event's hash and this one's.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
