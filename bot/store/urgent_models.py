"""Tables for notices (urgent ones to leads, and the review notices of issue #26), and what a lead did about
an urgent flag.

`notifications` is an outbox: a row is written in the same transaction as the flag that needs it, and a
worker (bot.notify) delivers it afterwards, off the request path, retrying with back-off. A mail server
that is down therefore delays a notice but never loses it, and a restarted app carries on from the table. A
row holds who and how, never case content: the notice says only the reference, what happened and a link.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.lifecycle import NoticeChannel, NoticeState
from bot.domain.vocabulary import NOTICE_PURPOSES, sql_list
from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime

NOTICE_CHANNELS = tuple(channel.value for channel in NoticeChannel)
NOTICE_STATUSES = tuple(state.value for state in NoticeState)


class Notification(Base):
    """One notice to one person through one channel; `failed` means retries ran out, `withdrawn` that the
    practitioner said "no one is in danger now" while it still waited (both kept for the record)."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(f"purpose IN ({sql_list(NOTICE_PURPOSES)})", name="purpose"),
        CheckConstraint(f"channel IN ({sql_list(NOTICE_CHANNELS)})", name="channel"),
        CheckConstraint(f"status IN ({sql_list(NOTICE_STATUSES)})", name="status"),
        # The worker's question: what is pending and due now?
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    urgent_flag_id: Mapped[int | None] = mapped_column(ForeignKey("urgent_flags.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A worker holds a row until this time while it sends; another process skips it until the lease ends.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UrgentResponse(Base):
    """What a lead did about an urgent flag (rang the practitioner, spoke to police...), in their words."""

    __tablename__ = "urgent_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    responded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(EncryptedText("urgent_responses", "note"))  # sealed (0035)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UrgentStandDown(Base):
    """A lead's "this was not an emergency": it stands down every danger report up to `through_flag_id` (the
    latest flag when it was recorded), in the lead's words. The flags themselves stay as they were; a later
    danger report (a higher flag id) makes the case urgent again (bot.store.repository.urgent_now)."""

    __tablename__ = "urgent_stand_downs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    through_flag_id: Mapped[int] = mapped_column(ForeignKey("urgent_flags.id"))
    # A lead, or the practitioner answering "no" to "is anyone in danger now?" after danger was read in what
    # they typed (bot.store.danger_check); None only for a conversation with no account behind it.
    stood_down_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(EncryptedText("urgent_stand_downs", "reason"))  # sealed (0035)
    stood_down_at: Mapped[datetime] = mapped_column(UTCDateTime())
