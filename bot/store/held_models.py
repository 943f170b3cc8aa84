"""The table of messages held for their author after their sign-in session ended (issue 17).

A practitioner who presses Send after being signed out for inactivity must not lose what they typed. The
app keeps the text here, encrypted (bot.store.held_messages), until they sign in again and it is back in the
text box, or until it expires. It is never an answer: only pressing Send again makes it one.

One row per author and assessment (a later message replaces an earlier one). The row holds ids, times and
ciphertext only; the key is derived from the session secret, never stored, and each row's ciphertext is
bound to its author and assessment, so it cannot be read back for anyone else or moved to another case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, UTCDateTime


class HeldMessage(Base):
    __tablename__ = "held_messages"
    __table_args__ = (UniqueConstraint("user_id", "assessment_id", name="uq_held_messages_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    # AES-GCM: 12-byte nonce, then the ciphertext with its 16-byte tag.
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Purged from then on, read or not.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
