"""The table linking an organisation account (OpenID Connect) to a local account (issue #32, migration 0033).

A provider names a person by its issuer and the `sub` claim (Entra ID's `oid` if the mapping says so): that
pair never changes and is never given to anyone else, unlike `preferred_username`, which a provider may change
or reuse. So once linked, only the pair counts at sign-in (bot.store.oidc_links). One person is one link
(unique on issuer and subject) and an account has at most one link per issuer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, UTCDateTime

MAX_ISSUER_CHARS = 512  # an issuer is an https:// address; Entra ID's are under 100 characters
MAX_SUBJECT_CHARS = 255  # OpenID Connect Core 1.0, 2: "MUST NOT exceed 255 ASCII characters"


class OidcLink(Base):
    __tablename__ = "oidc_links"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_oidc_links_issuer_subject"),
        UniqueConstraint("user_id", "issuer", name="uq_oidc_links_user_id_issuer"),
        # An empty issuer or subject would match whatever a careless caller passes: refuse it in the database.
        CheckConstraint("length(issuer) > 0", name="issuer_present"),
        CheckConstraint("length(subject) > 0", name="subject_present"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(MAX_ISSUER_CHARS))
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT_CHARS))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
