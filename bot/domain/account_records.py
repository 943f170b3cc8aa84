"""Plain records of accounts for the admin pages and `bot user list`: names, roles, teams; no case content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TeamsLink:
    id: int
    tenant_id: str
    aad_object_id: str


@dataclass(frozen=True)
class OidcLinkRecord:
    """An organisation account (issue #32): the provider's issuer and its subject for this person."""

    id: int
    issuer: str
    subject: str
    created_at: datetime


@dataclass(frozen=True)
class AccountChangeRecord:
    action: str  # an AuditAction value
    reason: str
    made_by: str  # the actor as stored: "user:7", "cli" or "cli:ops"
    made_at: datetime
    # Who "user:7" is, read when the account is shown (their name and role now), so a person reads a name;
    # None for the command line, or an account that no longer exists.
    by_username: str | None = None
    by_role: str | None = None


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    team: str
    active: bool
    email: str | None
    teams_links: tuple[TeamsLink, ...] = ()
    changes: tuple[AccountChangeRecord, ...] = ()  # newest first
    oidc_links: tuple[OidcLinkRecord, ...] = ()


@dataclass(frozen=True)
class AccountSearch:
    """What the admin's list is filtered by: `text` matches the sign-in name; None means any."""

    text: str = ""
    role: str | None = None
    team: str | None = None
    active: bool | None = None
