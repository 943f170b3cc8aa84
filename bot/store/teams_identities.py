"""Microsoft Teams identities (bot.teams): which account a Teams user is, and where their bot chat is.

A Teams user is named by their Azure AD object id within a tenant; the pair, never the display name, binds a
message to an account, and an administrator makes each link by hand.
"""

from __future__ import annotations

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, ValidationError
from bot.domain.records import UserInfo
from bot.domain.teams_inputs import TeamsIdentityIn
from bot.store import notices, repository
from bot.store.teams_models import TeamsIdentity
from bot.store.unit_of_work import Service, UnitOfWork


class TeamsIdentityService(Service):
    def link_teams_user(self, user_id: int, tenant_id: str, aad_object_id: str) -> None:
        """Bind a Teams identity to an account. Linking it again to the same account changes nothing; an
        identity already bound to another account is refused, so a mistake cannot silently move someone's
        messages into another practitioner's assessments."""
        given = TeamsIdentityIn(tenant_id=tenant_id, aad_object_id=aad_object_id)
        tenant, object_id = given.tenant_id, given.aad_object_id

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
        given = _identity(tenant_id, aad_object_id)
        if given is None:
            return None
        tenant, object_id = given.tenant_id, given.aad_object_id
        with self._reading() as uow:
            user = repository.user_by_teams_identity(uow.session, tenant, object_id)
            return repository.user_info(user) if user is not None and user.active else None

    def deactivated_identity(self, tenant_id: str, aad_object_id: str) -> bool:
        """True when a Teams identity is linked to an account that has been deactivated (so it is told so,
        rather than that it is not linked)."""
        given = _identity(tenant_id, aad_object_id)
        if given is None:
            return False
        tenant, object_id = given.tenant_id, given.aad_object_id
        with self._reading() as uow:
            user = repository.user_by_teams_identity(uow.session, tenant, object_id)
            return user is not None and not user.active


def _identity(tenant_id: object, aad_object_id: object) -> TeamsIdentityIn | None:
    """The identity a Teams activity names, or None if it is not one (it then matches no one)."""
    try:
        return TeamsIdentityIn(tenant_id=tenant_id, aad_object_id=aad_object_id)
    except ValidationError:
        return None


def link_identity(
    uow: UnitOfWork, user_id: int, tenant_id: str, aad_object_id: str, **detail: object
) -> bool:
    """Bind a Teams identity to an account in `uow`'s transaction: False if it was bound to it already, a
    ConflictError if it is bound to another account (a mistake must not move someone's messages)."""
    given = TeamsIdentityIn(tenant_id=tenant_id, aad_object_id=aad_object_id)
    tenant, object_id = given.tenant_id, given.aad_object_id
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
