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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from bot.domain.vocabulary import (
    CONSENT_DECISIONS,
    PATHWAYS,
    REFERRAL_STATUSES,
    VAF_DIMENSIONS,
    sql_list,
)
from bot.store.encrypted_text import EncryptedText, key_ring_in_use
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
    # Sealed at rest (0035), so found by its keyed digest in `case_record_lookup` (kept by `_look_up_by`).
    case_record_id: Mapped[str | None] = mapped_column(EncryptedText("referrals", "case_record_id"))
    case_record_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    # Issue #12 (0020): the lead the referral is assigned to, and when; null while unassigned.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @validates("case_record_id")
    def _look_up_by(self, _key: str, value: str | None) -> str | None:
        """Every write of the ID writes its digest too, so no caller can leave the two apart."""
        self.case_record_lookup = None if value is None else case_record_digest(value)
        return value


def case_record_digest(case_record_id: str) -> str:
    """The lookup digest of a case-record ID, under the newest data key."""
    return key_ring_in_use().digest(case_record_id, "referrals", "case_record_id")


def case_record_digests(case_record_id: str) -> tuple[str, ...]:
    """Its digests under every key of the ring: a lookup matches any, so a rotation half done misses none."""
    return key_ring_in_use().digests(case_record_id, "referrals", "case_record_id")


class ReferralStatusChange(Base):
    """Every move through the workflow, with the reason when one is needed (reopening)."""

    __tablename__ = "referral_status_changes"
    __table_args__ = (CheckConstraint(f"to_status IN ({sql_list(REFERRAL_STATUSES)})", name="to_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(EncryptedText("referral_status_changes", "reason"))  # sealed
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
    rationale: Mapped[str | None] = mapped_column(EncryptedText("decisions", "rationale"))  # before 0015 only
    lawful_bases: Mapped[list[str]] = mapped_column(JSON)
    consent: Mapped[str] = mapped_column(String(16))
    consent_reason: Mapped[str | None] = mapped_column(EncryptedText("decisions", "consent_reason"))
    review_date: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(EncryptedText("decisions", "feedback"))
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
    rationale: Mapped[str] = mapped_column(EncryptedText("decision_pathways", "rationale"))
    # null only on decisions made before revision 0015
    shared: Mapped[str | None] = mapped_column(EncryptedText("decision_pathways", "shared"))
    owner: Mapped[str | None] = mapped_column(EncryptedText("decision_pathways", "owner"))  # likewise
    partner: Mapped[str | None] = mapped_column(String(60))  # a key of bot/review/partners.yaml


class DecisionAction(Base):
    __tablename__ = "decision_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(EncryptedText("decision_actions", "description"))
    owner: Mapped[str] = mapped_column(EncryptedText("decision_actions", "owner"))
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
    note: Mapped[str | None] = mapped_column(EncryptedText("evidence_tags", "note"))
    tagged_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
