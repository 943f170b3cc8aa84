"""The tables of the second factor (issue #32, migration 0031).

- `second_factors`: at most one per account. `secret_sealed` is the authenticator secret sealed with AES-GCM
  under a key derived from the session secret (bot.store.second_factor), so a copy of the database alone
  never yields it; `confirmed_at` is empty while set-up waits for its first code; `last_step` is the last
  30-second step a code was taken for, so that a code (or an older one) is never taken twice.
- `recovery_codes`: ten per account, kept as keyed hashes only, each used at most once (`used_at`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, UTCDateTime


class SecondFactor(Base):
    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    secret_sealed: Mapped[str] = mapped_column(Text)  # base64 of nonce + AES-GCM ciphertext
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class RecoveryCode(Base):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # hex HMAC-SHA256 of the code, keyed per purpose
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
