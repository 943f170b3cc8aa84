"""The table of trainers' feedback notes on submitted practice runs (issue #13, migration 0027).

A note is the trainer's own words to the trainee, kept verbatim (never trimmed or rewritten), beside the
run's debrief. A note belongs to its run: when the run is purged after its retention period the note goes
with it (bot.store.practice_purge follows this table's foreign key). Notes are never edited: a trainer with
more to say writes another, and the debrief lists them newest first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime


class PracticeFeedback(Base):
    __tablename__ = "practice_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(EncryptedText("practice_feedback", "text"))  # verbatim, sealed (0035)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
