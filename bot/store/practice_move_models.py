"""The table of practice runs moved to live because they were about a real child (issue #13, migration 0029).

One row per move, written in the same transaction as the assessment's change of mode: who moved it, when,
the reason they typed (verbatim: the audit trail holds ids and labels, never anyone's words, so the words
live here and the trail points at this row), and the scenario the run was started from (the assessment's
own link to it goes with the move). A move is never undone, so rows are never edited; a row goes only with
its assessment (bot.store.erasure follows this table's foreign key).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.encrypted_text import EncryptedText
from bot.store.models import Base, UTCDateTime


class PracticeMove(Base):
    __tablename__ = "practice_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    moved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(EncryptedText("practice_moves", "reason"))  # verbatim, sealed (0035)
    scenario_id: Mapped[str | None] = mapped_column(String(60))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime())
