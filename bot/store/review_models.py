"""Tables for the lead's review: referrals, status history, decisions, the actions they set, evidence tags.

A separate module from models.py so that the review can grow without touching the record of what the
practitioner said; both share one `Base`, so one Alembic history covers them. Free text here (rationale,
reasons, feedback) is the lead's own words, stored exactly as typed, like the practitioner's answers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import (
    CONSENT_DECISIONS,
    PATHWAYS,
    REFERRAL_STATUSES,
    VAF_DIMENSIONS,
    sql_list,
)
from bot.store.models import Base, UTCDateTime

# The pathway list of revision 0003, which `decisions.pathway` still checks (no row is written there now).
_SINGLE_PATHWAYS = (
    "no_further_action",
    "early_help",
    "s17_assessment",
    "s47_strategy",
    "prevent_referral",
    "open_case_update",
)


class Referral(Base):
    """A submitted assessment in a lead's queue; made when a reviewer first opens it (see ReviewService)."""

    __tablename__ = "referrals"
    __table_args__ = (CheckConstraint(f"status IN ({sql_list(REFERRAL_STATUSES)})", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Issue #12 (0020): the council's case-record ID for the child, typed by a lead; referrals of one team
    # sharing it show one chronology. It identifies the child, so it is shown to leads only.
    case_record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # Issue #12 (0020): the lead the referral is assigned to, and when; null while unassigned.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReferralStatusChange(Base):
    """Every move through the workflow, with the reason when one is needed (reopening)."""

    __tablename__ = "referral_status_changes"
    __table_args__ = (CheckConstraint(f"to_status IN ({sql_list(REFERRAL_STATUSES)})", name="to_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Decision(Base):
    """A lead's decision. Never edited: a reopened referral gets a new decision, and the old one stays."""

    __tablename__ = "decisions"
    __table_args__ = (
        # Before revision 0015 a decision had one pathway, here; kept readable for those rows, empty since.
        CheckConstraint(f"pathway IN ({sql_list(_SINGLE_PATHWAYS)})", name="pathway"),
        CheckConstraint(f"consent IN ({sql_list(CONSENT_DECISIONS)})", name="consent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pathway: Mapped[str | None] = mapped_column(String(40))  # before revision 0015 only
    rationale: Mapped[str | None] = mapped_column(Text)  # before revision 0015 only
    lawful_bases: Mapped[list[str]] = mapped_column(JSON)
    consent: Mapped[str] = mapped_column(String(16))
    consent_reason: Mapped[str | None] = mapped_column(Text)
    review_date: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_given_on: Mapped[date | None] = mapped_column(Date)


class DecisionPathway(Base):
    """One pathway of a decision, with the lead's own words for it. A decision may combine pathways."""

    __tablename__ = "decision_pathways"
    __table_args__ = (
        CheckConstraint(f"pathway IN ({sql_list(PATHWAYS)})", name="pathway"),
        UniqueConstraint("decision_id", "pathway"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    pathway: Mapped[str] = mapped_column(String(40))
    rationale: Mapped[str] = mapped_column(Text)
    shared: Mapped[str | None] = mapped_column(Text)  # null only on decisions made before revision 0015
    owner: Mapped[str | None] = mapped_column(Text)  # likewise
    partner: Mapped[str | None] = mapped_column(String(60))  # a key of bot/review/partners.yaml


class DecisionAction(Base):
    __tablename__ = "decision_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date)


_ACTIVE_TAG = text("removed_at IS NULL")


class EvidenceTag(Base):
    """A lead's VAF dimension on one answer revision: the lead's judgement, never computed or totalled.

    Removal sets removed_by/removed_at instead of deleting, so the history of tagging stays. The composite
    foreign key pins the tag to the exact answer revision the lead read; the partial unique index allows
    one active tag per revision and dimension, which makes tagging twice a no-op.
    """

    __tablename__ = "evidence_tags"
    __table_args__ = (
        CheckConstraint(f"dimension IN ({sql_list(VAF_DIMENSIONS)})", name="dimension"),
        CheckConstraint(
            "(removed_by IS NULL AND removed_at IS NULL) "
            "OR (removed_by IS NOT NULL AND removed_at IS NOT NULL)",
            name="removal_complete",
        ),
        ForeignKeyConstraint(
            ["assessment_id", "question_id", "answer_revision"],
            ["answers.assessment_id", "answers.question_id", "answers.revision"],
        ),
        Index(
            "uq_evidence_tags_active",
            "assessment_id",
            "question_id",
            "answer_revision",
            "dimension",
            unique=True,
            sqlite_where=_ACTIVE_TAG,
            postgresql_where=_ACTIVE_TAG,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    answer_revision: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    tagged_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
