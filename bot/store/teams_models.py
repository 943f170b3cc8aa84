"""The table linking a Microsoft Teams identity to a practitioner account.

Kept apart from bot.store.models so the Teams channel can grow without touching the core tables; it uses the
same `Base`, so Alembic and the model/migration comparison see it once this module is imported (services and
the migration environment import it).

A Teams user is named by their Azure AD object id within a tenant; the pair, never the display name (which
anyone can change), is what binds a message to an account. An administrator makes each link by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, UTCDateTime


class TeamsIdentity(Base):
    __tablename__ = "teams_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "aad_object_id", name="uq_teams_identities_tenant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    aad_object_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Where this person's one-to-one chat with the bot lives, kept from their latest message (0008), so the
    # bot can message them first (an urgent notice to a lead). None until they have messaged the bot.
    service_url: Mapped[str | None] = mapped_column(String(2048))
    conversation_ref: Mapped[str | None] = mapped_column(String(1024))
    bot_id: Mapped[str | None] = mapped_column(String(1024))
