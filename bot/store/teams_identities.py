"""Microsoft Teams identities (bot.teams): which account a Teams user is, and where their bot chat is.

A Teams user is named by their Azure AD object id within a tenant; the pair, never the display name, binds a
message to an account, and an administrator makes each link by hand.
"""

from __future__ import annotations

import re

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.records import UserInfo
from bot.store import notices, repository, validation
from bot.store.teams_models import TeamsIdentity
from bot.store.unit_of_work import Service, UnitOfWork

_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


class TeamsIdentityService(Service):
    def link_teams_user(self, user_id: int, tenant_id: str, aad_object_id: str) -> None:
        """Bind a Teams identity to an account. Linking it again to the same account changes nothing; an
        identity already bound to another account is refused, so a mistake cannot silently move someone's
        messages into another practitioner's assessments."""
        problems = validation.Problems()
        tenant, object_id = (
            _guid(problems, "tenant_id", tenant_id),
            _guid(problems, "aad_object_id", aad_object_id),
        )
        problems.raise_if_any()

        def link(uow: UnitOfWork) -> None:
            link_identity(uow, user_id, tenant, object_id)

        self._write(link)

    def remember_teams_chat(self, user_id: int, service_url: str, conversation_ref: str, bot_id: str) -> bool:
        """Keep where this person's Teams chat with the bot is (from their latest message), on each of their
        Teams identities, so an urgent notice can be posted to them first. Writes only when it changed, so
        an ordinary message costs one read. Values the columns cannot hold are not stored (logged): the
        person then cannot be messaged first, but their own turn goes on. Returns True when stored anew."""
        wanted = (service_url, conversation_ref, bot_id)
        columns = TeamsIdentity.__table__.c
        limits = (
            columns.service_url.type.length,
            columns.conversation_ref.type.length,
            columns.bot_id.type.length,
        )
        fits = (isinstance(v, str) and len(v) <= n for v, n in zip(wanted, limits, strict=True))
        if not all(fits):
            notices.log.warning("the Teams chat of user %s does not fit the store; not kept", user_id)
            return False
        if not service_url or not conversation_ref:
            return False

        def stale(uow: UnitOfWork) -> list[TeamsIdentity]:
            rows = repository.teams_identities_of(uow.session, user_id)
            return [row for row in rows if (row.service_url, row.conversation_ref, row.bot_id) != wanted]

        with self._reading() as uow:
            if not stale(uow):
                return False

        def remember(uow: UnitOfWork) -> bool:
            rows = stale(uow)
            for row in rows:
                row.service_url, row.conversation_ref, row.bot_id = wanted
            if rows:
                uow.audit(AuditAction.TEAMS_CHAT_REMEMBERED, user_id=user_id, identities=len(rows))
            return bool(rows)

        return self._write(remember)

    def user_for_teams(self, tenant_id: str, aad_object_id: str) -> UserInfo | None:
        """The active account a Teams identity is linked to; None for anything unlinked or malformed."""
        problems = validation.Problems()
        tenant, object_id = (
            _guid(problems, "tenant_id", tenant_id),
            _guid(problems, "aad_object_id", aad_object_id),
        )
        if problems.fields:
            return None
        with self._reading() as uow:
            user = repository.user_by_teams_identity(uow.session, tenant, object_id)
            return repository.user_info(user) if user is not None and user.active else None

    def deactivated_identity(self, tenant_id: str, aad_object_id: str) -> bool:
        """True when a Teams identity is linked to an account that has been deactivated (so it is told so,
        rather than that it is not linked)."""
        problems = validation.Problems()
        tenant, object_id = (
            _guid(problems, "tenant_id", tenant_id),
            _guid(problems, "aad_object_id", aad_object_id),
        )
        if problems.fields:
            return False
        with self._reading() as uow:
            user = repository.user_by_teams_identity(uow.session, tenant, object_id)
            return user is not None and not user.active


def _guid(problems: validation.Problems, name: str, value: object) -> str:
    """Azure AD ids are GUIDs; compared in lower case, as Teams sends them."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        problems.add(name, "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47")
        return ""
    return value.lower()


def link_identity(
    uow: UnitOfWork, user_id: int, tenant_id: str, aad_object_id: str, **detail: object
) -> bool:
    """Bind a Teams identity to an account in `uow`'s transaction: False if it was bound to it already, a
    ConflictError if it is bound to another account (a mistake must not move someone's messages)."""
    problems = validation.Problems()
    tenant = _guid(problems, "tenant_id", tenant_id)
    object_id = _guid(problems, "aad_object_id", aad_object_id)
    problems.raise_if_any()
    uow.user(user_id)
    existing = repository.teams_identity(uow.session, tenant, object_id)
    if existing is not None:
        if existing.user_id == user_id:
            return False
        raise ConflictError({"aad_object_id": "this Teams identity is already linked to another user"})
    uow.session.add(
        TeamsIdentity(tenant_id=tenant, aad_object_id=object_id, user_id=user_id, created_at=uow.now())
    )
    uow.audit(AuditAction.TEAMS_LINKED, user_id=user_id, tenant_id=tenant, **detail)
    return True
