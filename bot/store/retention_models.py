"""The legal holds table (issue #31): a case under a hold is never erased, whatever the retention schedule.

A lead or admin sets a hold with a reason (litigation, a complaint, an inquiry, a subject access request in
progress) and lifts it with one; each row is one hold, kept after it is lifted so that the case shows its
history. A case is held while it has a row with no `lifted_at`; at most one such row (a partial unique index).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime


class LegalHold(Base):
    __tablename__ = "legal_holds"
    __table_args__ = (
        Index(
            "uq_legal_holds_one_active",
            "assessment_id",
            unique=True,
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    reason: Mapped[str] = mapped_column(EncryptedText("legal_holds", "reason"))  # sealed (0035)
    set_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_reason: Mapped[str | None] = mapped_column(EncryptedText("legal_holds", "lifted_reason"))
    lifted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
