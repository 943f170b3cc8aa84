"""The table of account changes an admin made, each with its reason (issue #32, migration 0030).

Why a table and not the audit trail: the trail holds ids, labels and counts only (bot.store.audit), and a
reason is someone's own words ("left the council", "moved to the West team"). The audit event names the row
(`change_id`), so the trail says who did what and when, and this row says why. Rows are never edited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime


class AccountChange(Base):
    __tablename__ = "account_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the account changed
    action: Mapped[str] = mapped_column(String(64))  # an AuditAction value
    reason: Mapped[str] = mapped_column(EncryptedText("account_changes", "reason"))  # verbatim, sealed
    made_by: Mapped[str] = mapped_column(String(100))  # the actor: "user:7" or "cli:ops"
    made_at: Mapped[datetime] = mapped_column(UTCDateTime())
