"""Tables for what happened next on a case (issue #12): the information-sharing log, outcomes per pathway and
case review dates.

Sharing entries and outcomes are never edited or deleted: a correction is a new entry naming the one it
corrects (`corrects_id`), so the record of what was shared, with whom and on what basis stays whole. Free
text (what was shared, a note) is the lead's own words, stored exactly as typed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import (
    LAWFUL_BASES,
    OUTCOME_KEYS,
    PATHWAYS,
    REVIEW_SOURCES,
    SHARING_METHODS,
    sql_list,
)
from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime


class SharingEntry(Base):
    """One share: what, with whom (free text or a partner of bot/review/partners.yaml), when, how, and on
    what lawful basis; optionally the standing decision's pathway it belongs to."""

    __tablename__ = "sharing_entries"
    __table_args__ = (
        CheckConstraint(f"method IN ({sql_list(SHARING_METHODS)})", name="method"),
        CheckConstraint(f"lawful_basis IN ({sql_list(LAWFUL_BASES)})", name="lawful_basis"),
        CheckConstraint("recipient IS NOT NULL OR partner IS NOT NULL", name="with_whom"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    shared_what: Mapped[str] = mapped_column(EncryptedText("sharing_entries", "shared_what"))  # sealed (0035)
    recipient: Mapped[str | None] = mapped_column(EncryptedText("sharing_entries", "recipient"))  # sealed
    partner: Mapped[str | None] = mapped_column(String(60))
    shared_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    lawful_basis: Mapped[str] = mapped_column(String(32))
    decision_pathway_id: Mapped[int | None] = mapped_column(ForeignKey("decision_pathways.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_entries.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PathwayOutcome(Base):
    """What a lead was told happened on one pathway of a decision, with its date and an optional note."""

    __tablename__ = "pathway_outcomes"
    __table_args__ = (
        CheckConstraint(f"pathway IN ({sql_list(PATHWAYS)})", name="pathway"),
        CheckConstraint(f"outcome IN ({sql_list(OUTCOME_KEYS)})", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    decision_pathway_id: Mapped[int] = mapped_column(ForeignKey("decision_pathways.id"))
    pathway: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(40))
    outcome_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(EncryptedText("pathway_outcomes", "note"))  # sealed (0035)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_outcomes.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseReview(Base):
    """A review date on a case. One row per case and date, so a date set twice (by a lead and by an outcome)
    is one review and its reminder goes once: `reminded_at` is set in the transaction that queues it."""

    __tablename__ = "case_reviews"
    __table_args__ = (
        CheckConstraint(f"source IN ({sql_list(REVIEW_SOURCES)})", name="source"),
        UniqueConstraint("assessment_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(16))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_outcomes.id"))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: copied by the reminder job
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_on: Mapped[date | None] = mapped_column(Date)
    held_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
