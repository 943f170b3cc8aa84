"""The tables that outlive the app's memory of sign-in sessions (issue #30).

- `ended_sessions`: a session that was signed out, or whose account was deactivated, by the SHA-256 of its
  id (never the id itself, so the table hands nobody a usable cookie), with when and why. Read when a cookie
  the app does not know comes back (after a restart), so that a copy of it can do nothing, not even hold a
  message. Rows go once they are older than the absolute session lifetime: by then the cookie is refused
  as expired whatever it says.
- `browser_draft_keys`: each account's current salt for the key of its drafts kept in the browser. It is
  replaced at an explicit sign-out, so a draft left behind on a shared computer can never be read again.
  No row means the account has not signed out since drafts were keyed this way (the salt is then empty).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, UTCDateTime

ENDED_WHY = ("signed_out", "deactivated", "password_changed")  # at most 16 characters (why)


class EndedSessionRow(Base):
    __tablename__ = "ended_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    why: Mapped[str] = mapped_column(String(16))


class BrowserDraftKey(Base):
    __tablename__ = "browser_draft_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())
