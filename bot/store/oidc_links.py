"""Which local account an organisation account signs in as (issue #32): by its issuer and subject.

The username claim a provider sends (`preferred_username`) can be changed or given to someone else; the
subject cannot. So the claim is used once only, at a person's first sign-in, to find the account that is
then linked to their subject (audited `oidc.linked`); from then on only the subject counts, whatever the
claim says. A claim naming an account already linked to another subject of the same provider is refused:
it is someone else now holding that name, or an account an admin must relink by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.store import inputs, repository
from bot.store.models import User
from bot.store.oidc_link_models import OidcLink
from bot.store.unit_of_work import UnitOfWork

# Why a sign-in was refused, for the audit trail and the refusal page (bot.web.oidc).
LINKED_ELSEWHERE = "linked-to-another-subject"


@dataclass(frozen=True)
class Resolved:
    """The account an organisation account names, or why none; `link_now` when this is its first sign-in."""

    user: User | None
    why: str = ""
    link_now: bool = False


def resolve(session: Session, issuer: str, subject: str, username: object) -> Resolved:
    link = link_for(session, issuer, subject)
    if link is not None:
        return Resolved(session.get(User, link.user_id))
    user = repository.user_by_name(session, username) if inputs.findable(username) else None
    if user is None:
        return Resolved(None, "unknown")
    if link_of(session, user.id, issuer) is not None:
        return Resolved(user, LINKED_ELSEWHERE)
    return Resolved(user, link_now=True)


def link_for(session: Session, issuer: str, subject: str) -> OidcLink | None:
    if not (inputs.findable(issuer) and inputs.findable(subject)):
        return None
    return session.scalar(select(OidcLink).where(OidcLink.issuer == issuer, OidcLink.subject == subject))


def link_of(session: Session, user_id: int, issuer: str) -> OidcLink | None:
    if not inputs.findable(issuer):
        return None
    return session.scalar(select(OidcLink).where(OidcLink.user_id == user_id, OidcLink.issuer == issuer))


def links_of(session: Session, user_id: int) -> list[OidcLink]:
    return list(session.scalars(select(OidcLink).where(OidcLink.user_id == user_id).order_by(OidcLink.id)))


def add_link(uow: UnitOfWork, user: User, issuer: str, subject: str, **detail: object) -> OidcLink:
    """The link, audited in the caller's transaction (the subject is an identifier, not a person's words)."""
    row = OidcLink(issuer=issuer, subject=subject, user_id=user.id, created_at=uow.now())
    uow.session.add(row)
    uow.session.flush()
    uow.audit(AuditAction.OIDC_LINKED, user_id=user.id, link_id=row.id, issuer=issuer, **detail)
    return row
