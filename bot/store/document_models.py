"""Tables for the documents a lead sends (issue #12): identifying details, stored apart from the assessment,
and one row per document made.

Identifying details are entered by a lead at the time of sending (the bot never asks for a child's name) and
are read only to merge them into a document as it is generated, and to pre-fill the next document's form for
the case's leads. Rows are never edited: a correction is a new row, the case's next version of its details.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.vocabulary import DOCUMENT_BASES, DOCUMENT_KINDS, sql_list
from bot.store.encrypted_text import EncryptedDate, EncryptedText
from bot.store.models import Base, UTCDateTime


class IdentifyingDetails(Base):
    """One version of who the child is, as a lead entered it: each field optional, free text as typed.

    A case's details are its latest row; a lead's change is a new row (the next version), so each document
    keeps pointing at the version it was made with."""

    __tablename__ = "identifying_details"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    # Sealed at rest (0035; the date of birth, as its ISO text, since 0036).
    child_name: Mapped[str | None] = mapped_column(EncryptedText("identifying_details", "child_name"))
    date_of_birth: Mapped[date | None] = mapped_column(EncryptedDate("identifying_details", "date_of_birth"))
    address: Mapped[str | None] = mapped_column(EncryptedText("identifying_details", "address"))
    school: Mapped[str | None] = mapped_column(EncryptedText("identifying_details", "school"))
    # parents' or carers' names and contacts
    carers: Mapped[str | None] = mapped_column(EncryptedText("identifying_details", "carers"))
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReferralDocument(Base):
    """One document made from one pathway of a decision, with the sharing-log entry recording its sending."""

    __tablename__ = "referral_documents"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_list(DOCUMENT_KINDS)})", name="kind"),
        CheckConstraint(f"basis IS NULL OR basis IN ({sql_list(DOCUMENT_BASES)})", name="basis"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    decision_pathway_id: Mapped[int] = mapped_column(ForeignKey("decision_pathways.id"))
    partner: Mapped[str | None] = mapped_column(String(60))
    details_id: Mapped[int | None] = mapped_column(ForeignKey("identifying_details.id"))
    sharing_entry_id: Mapped[int] = mapped_column(ForeignKey("sharing_entries.id"))
    made_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime())
    basis: Mapped[str | None] = mapped_column(String(16))  # DOCUMENT_BASES; null before revision 0028
    # The identifying-details field ids the lead left out of this document (revision 0032), checked against
    # the known ids by the review service before it is written; empty for every document made before.
    left_out: Mapped[list[str]] = mapped_column(JSON, server_default=text("'[]'"), default=list)
