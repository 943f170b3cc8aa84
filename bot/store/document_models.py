"""Tables for the documents a lead sends (issue #12): identifying details, stored apart from the assessment,
and one row per document made.

Identifying details are entered by a lead at the time of sending (the bot never asks for a child's name) and
are read only to merge them into a document as it is generated. Rows are never edited: a document sent again
with corrected details is a new row with new details.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import sql_list
from bot.store.models import Base, UTCDateTime

# The document kinds a row may name (bot/review/documents/*.yaml); a new kind needs a migration too.
DOCUMENT_KINDS: tuple[str, ...] = ("prevent_referral", "social_care_referral", "partner_request")


class IdentifyingDetails(Base):
    """Who the child is, as a lead entered it for one document: each field optional, free text as typed."""

    __tablename__ = "identifying_details"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    child_name: Mapped[str | None] = mapped_column(Text)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(Text)
    school: Mapped[str | None] = mapped_column(Text)
    carers: Mapped[str | None] = mapped_column(Text)  # parents' or carers' names and contacts
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReferralDocument(Base):
    """One document made from one pathway of a decision, with the sharing-log entry recording its sending."""

    __tablename__ = "referral_documents"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_list(DOCUMENT_KINDS)})", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    decision_pathway_id: Mapped[int] = mapped_column(ForeignKey("decision_pathways.id"))
    partner: Mapped[str | None] = mapped_column(String(60))
    details_id: Mapped[int | None] = mapped_column(ForeignKey("identifying_details.id"))
    sharing_entry_id: Mapped[int] = mapped_column(ForeignKey("sharing_entries.id"))
    made_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime())
