"""Account management without SQL (issue #32): what an admin does from the pages or `bot user ...`, and a
user changing their own password.

Every change takes a reason, kept verbatim in `account_changes` beside an audit event that names the row, in
one transaction. Deactivation ends sessions at once because nothing caches the flag (`UserService.
active_user` is read on every request and Teams message); a new password (changed, or by a reset link) ends
the web sessions begun under the old one the same way (`UserService.session_user`, the password's stamp).
Organisation accounts are linked by issuer and subject (bot.store.oidc_links). Nothing here reads case
content. An admin cannot deactivate themselves or take away their own admin role, so a slip never locks an
organisation out.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from bot.domain.account_inputs import (
    USERNAME,
    ChangePasswordIn,
    EmailChangeIn,
    NewAccountIn,
    OidcLinkIn,
    OidcUnlinkIn,
    ReasonIn,
    ResetPasswordIn,
    RoleChangeIn,
    TeamChangeIn,
)
from bot.domain.account_records import Account, AccountChangeRecord, AccountSearch, OidcLinkRecord, TeamsLink
from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError, ValidationError
from bot.domain.records import UserInfo
from bot.domain.roles import Role
from bot.store import inputs, oidc_links, repository, reset_links
from bot.store.account_models import AccountChange
from bot.store.models import Team, User
from bot.store.passwords import credential_stamp, hash_password, verify_password
from bot.store.second_factor import SecondFactorService
from bot.store.teams_identities import link_identity
from bot.store.teams_models import TeamsIdentity
from bot.store.unit_of_work import Service, UnitOfWork
from bot.store.users import add_user

MAX_LISTED = 500


class AccountService(Service):
    def list_accounts(self, search: AccountSearch | None = None) -> list[Account]:
        search = search or AccountSearch()
        query = select(User).join(User.team).order_by(User.username).limit(MAX_LISTED)
        if search.text and inputs.findable(search.text):
            query = query.where(User.username.icontains(search.text, autoescape=True))
        if search.role:
            query = query.where(User.role == search.role)
        if search.team and inputs.findable(search.team):
            query = query.where(Team.name == search.team)
        if search.active is not None:
            query = query.where(User.active.is_(search.active))
        with self._reading() as uow:
            return [_account(user) for user in uow.session.scalars(query).unique()]

    def account(self, user_id: int) -> Account:
        """One account with its Teams identities and the reasons for its changes, newest first."""
        with self._reading() as uow:
            user = uow.user(user_id)
            links = tuple(
                TeamsLink(row.id, row.tenant_id, row.aad_object_id)
                for row in repository.teams_identities_of(uow.session, user_id)
            )
            organisation = tuple(
                OidcLinkRecord(row.id, row.issuer, row.subject, row.created_at)
                for row in oidc_links.links_of(uow.session, user_id)
            )
            rows = list(
                uow.session.scalars(
                    select(AccountChange)
                    .where(AccountChange.user_id == user_id)
                    .order_by(AccountChange.id.desc())
                )
            )
            # "user:5" means nothing to the admin reading the history: name the person and their role.
            ids = {who for who in map(_actor_user_id, (r.made_by for r in rows)) if who is not None}
            people = {
                person.id: (person.username, person.role)
                for person in uow.session.scalars(select(User).where(User.id.in_(ids)))
            }
            changes = tuple(
                AccountChangeRecord(
                    r.action,
                    r.reason,
                    r.made_by,
                    r.made_at,
                    *people.get(_actor_user_id(r.made_by), (None, None)),
                )
                for r in rows
            )
            return _account(user, links, changes, organisation)

    def create_account(
        self, username: str, role: str, team: str, email: str | None, reason: str, secret: bytes
    ) -> tuple[Account, str]:
        """A new account in an existing team, made as `bot user add` makes one (bot.store.users.add_user),
        with the reason kept and a one-time link (24 hours) for the person to set their own password: the
        account's password is a random one nobody is told, so only the link opens it."""
        given = NewAccountIn(username=username, role=role, team=team, email=email, reason=reason)
        unknown = hash_password(secrets.token_urlsafe(32))  # slow on purpose: outside the transaction

        def create(uow: UnitOfWork) -> tuple[int, str]:
            user = add_user(
                uow, given.username, unknown, given.role, given.team, given.email, create_team=False
            )
            self._record(
                uow, user, AuditAction.USER_CREATED, given.reason, role=user.role, team_id=user.team_id
            )
            uow.audit(AuditAction.PASSWORD_RESET_ISSUED, user_id=user.id)
            expires = reset_links.expiry(uow.now())
            return user.id, reset_links.make_token(secret, user.id, user.password_hash, expires)

        user_id, token = self._write(create)
        return self.account(user_id), token

    def set_role(self, user_id: int, role: str, reason: str) -> Account:
        text = RoleChangeIn(role=role, reason=reason).reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            if user.role == role:
                raise ValidationError({"role": f"{user.username!r} is already a {role}"})
            if self._is_self(user_id) and user.role == Role.ADMIN:
                raise ValidationError({"role": "you cannot take away your own admin role; ask another admin"})
            old, user.role = user.role, role
            self._record(uow, user, AuditAction.USER_ROLE_CHANGED, text, old_role=old, role=role)

        self._write(change)
        return self.account(user_id)

    def set_team(self, user_id: int, team_name: str, reason: str) -> Account:
        text = TeamChangeIn(team=team_name, reason=reason).reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            team = repository.team_by_name(uow.session, team_name)
            if team is None:
                raise NotFoundError({"team": f"there is no team called {team_name!r}"})
            if team.id == user.team_id:
                raise ValidationError({"team": f"{user.username!r} is already in {team_name!r}"})
            old, user.team = user.team_id, team
            self._record(uow, user, AuditAction.USER_TEAM_CHANGED, text, old_team_id=old, team_id=team.id)

        self._write(change)
        return self.account(user_id)

    def set_email(self, user_id: int, email: str, reason: str) -> Account:
        """The address the account's urgent notices go to, from the admin pages: the rule and the audit
        action of `bot user set-email` (the address itself stays out of the trail), with the reason kept."""
        given = EmailChangeIn(email=email, reason=reason)

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            if user.email == given.email:
                raise ValidationError({"email": f"{user.username!r} already has this email address"})
            user.email = given.email
            self._record(uow, user, AuditAction.USER_EMAIL_SET, given.reason)

        self._write(change)
        return self.account(user_id)

    def reset_second_factor(self, user_id: int, reason: str) -> Account:
        """A lost phone, from the admin pages: the same reset as `bot user reset-2fa` (SecondFactorService,
        the one implementation: reason kept, audited as this service's actor); they set it up again at their
        next sign-in."""
        username = self.account(user_id).username
        SecondFactorService(self._sessions, actor=self._actor, clock=self._clock).reset(username, reason)
        return self.account(user_id)

    def set_active(self, user_id: int, active: bool, reason: str) -> Account:
        """Deactivate (their sessions end at their next request, on every channel) or reactivate."""
        text = ReasonIn(reason=reason).reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            if user.active == active:
                state = "active" if active else "deactivated"
                raise ValidationError({"active": f"{user.username!r} is already {state}"})
            if not active and self._is_self(user_id):
                raise ValidationError({"active": "you cannot deactivate your own account; ask another admin"})
            user.active = active
            action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
            self._record(uow, user, action, text)

        self._write(change)
        return self.account(user_id)

    def link_teams(self, user_id: int, tenant_id: str, aad_object_id: str, reason: str) -> Account:
        text = ReasonIn(reason=reason).reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            change_id = self._record(uow, user, AuditAction.TEAMS_LINKED, text, audit=False)
            if not link_identity(uow, user_id, tenant_id, aad_object_id, change_id=change_id):
                raise ValidationError({"aad_object_id": "this Teams identity is already linked to this user"})

        self._write(change)
        return self.account(user_id)

    def unlink_teams(self, user_id: int, link_id: int, reason: str) -> Account:
        text = ReasonIn(reason=reason).reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            row = uow.session.get(TeamsIdentity, link_id)
            if row is None or row.user_id != user_id:
                raise NotFoundError({"link": "this user has no such Teams identity"})
            tenant = row.tenant_id
            uow.session.delete(row)
            self._record(uow, user, AuditAction.TEAMS_UNLINKED, text, tenant_id=tenant)

        self._write(change)
        return self.account(user_id)

    def link_oidc(self, user_id: int, issuer: str, subject: str, reason: str) -> Account:
        """Link an organisation account (issuer and subject) by hand, before its first sign-in or in place of
        a link an admin has just removed; a subject linked to anyone, or a second link for one issuer, is
        refused (unlink first), so a slip never moves someone's sign-in to another account."""
        given = OidcLinkIn(issuer=issuer, subject=subject, reason=reason)
        issuer, subject, text = given.issuer, given.subject, given.reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            taken = oidc_links.link_for(uow.session, issuer, subject)
            if taken is not None:
                whose = "this user" if taken.user_id == user_id else "another user"
                raise ConflictError({"subject": f"this subject is already linked to {whose}"})
            if oidc_links.link_of(uow.session, user_id, issuer) is not None:
                raise ConflictError(
                    {"issuer": f"{user.username!r} is already linked at this issuer; unlink first"}
                )
            change_id = self._record(uow, user, AuditAction.OIDC_LINKED, text, audit=False)
            oidc_links.add_link(uow, user, issuer, subject, change_id=change_id)

        self._write(change)
        return self.account(user_id)

    def unlink_oidc(self, user_id: int, issuer: str, reason: str) -> Account:
        """Remove the account's link at this issuer: its next sign-in there is matched by name once more."""
        unlink = OidcUnlinkIn(issuer=issuer, reason=reason)
        issuer, text = unlink.issuer, unlink.reason

        def change(uow: UnitOfWork) -> None:
            user = uow.user(user_id)
            row = oidc_links.link_of(uow.session, user_id, issuer)
            if row is None:
                raise NotFoundError({"issuer": f"{user.username!r} has no link at this issuer"})
            link_id = row.id
            uow.session.delete(row)
            self._record(uow, user, AuditAction.OIDC_UNLINKED, text, link_id=link_id, issuer=issuer)

        self._write(change)
        return self.account(user_id)

    def issue_reset(self, user_id: int, reason: str, secret: bytes) -> tuple[Account, str]:
        """A one-time link token, valid for 24 hours, for the admin to pass on (the page shows the link)."""
        text = ReasonIn(reason=reason).reason

        def issue(uow: UnitOfWork) -> str:
            user = uow.user(user_id)
            if not user.active:
                raise ValidationError({"active": f"{user.username!r} is deactivated; reactivate them first"})
            expires = reset_links.expiry(uow.now())
            self._record(uow, user, AuditAction.PASSWORD_RESET_ISSUED, text)
            return reset_links.make_token(secret, user.id, user.password_hash, expires)

        token = self._write(issue)
        return self.account(user_id), token

    def reset_target(self, token: str, secret: bytes) -> UserInfo | None:
        """The account a reset link is for, while it is still good (unused, unexpired, account active)."""
        claimed = reset_links.token_user(token)
        if claimed is None:
            return None
        with self._reading() as uow:
            user = uow.session.get(User, claimed[0])
            good = user is not None and user.active
            if not good or not reset_links.token_valid(secret, token, user.password_hash, uow.now()):
                return None
            return repository.user_info(user)

    def use_reset(self, token: str, new_password: str, secret: bytes) -> UserInfo:
        target = self.reset_target(token, secret)
        if target is None:
            raise NotFoundError({"token": "this link has expired or been used; ask your admin for another"})
        new_hash = _new_hash(ResetPasswordIn, new_password, target.username)

        def use(uow: UnitOfWork) -> UserInfo:
            user = uow.user(target.id)
            if not reset_links.token_valid(secret, token, user.password_hash, uow.now()):
                raise NotFoundError({"token": "this link has expired or has been used"})
            user.password_hash = new_hash
            uow.audit(AuditAction.PASSWORD_RESET_USED, user_id=user.id)
            return repository.user_info(user)

        return self._write(use)

    def change_own_password(self, user_id: int, current: str, new_password: str) -> str:
        """A signed-in user's new password, only with their current one (checked outside the transaction).
        The new password's stamp, for the session that changed it to stay signed in: every other ends."""
        with self._reading() as uow:
            user = uow.user(user_id)
            stored, username = user.password_hash, user.username
        if not verify_password(stored, current if isinstance(current, str) else ""):
            self._write(lambda uow: uow.audit(AuditAction.PASSWORD_CHANGE_REFUSED, user_id=user_id))
            raise ValidationError({"current_password": "The current password is not right."})
        if current == new_password:
            raise ValidationError({"new_password": "choose a password different from your current one"})
        new_hash = _new_hash(ChangePasswordIn, new_password, username)

        def change(uow: UnitOfWork) -> None:
            uow.user(user_id).password_hash = new_hash
            uow.audit(AuditAction.PASSWORD_CHANGED, user_id=user_id)

        self._write(change)
        return credential_stamp(new_hash)

    def _is_self(self, user_id: int) -> bool:
        return self._actor.kind == "user" and self._actor.id == str(user_id)

    def _record(
        self,
        uow: UnitOfWork,
        user: User,
        done: AuditAction,
        reason: str,
        *,
        audit: bool = True,
        **detail: object,
    ) -> int:
        """The reason's row, and the audit event naming it (unless the caller audits), in the change's own
        transaction."""
        actor = f"{self._actor.kind}:{self._actor.id}" if self._actor.id else self._actor.kind
        row = AccountChange(
            user_id=user.id, action=done.value, reason=reason, made_by=actor, made_at=uow.now()
        )
        uow.session.add(row)
        uow.session.flush()
        if audit:
            uow.audit(done, user_id=user.id, change_id=row.id, **detail)
        return row.id


def _actor_user_id(made_by: str) -> int | None:
    """The account id in a stored actor "user:7"; None for any other actor (the command line, a service)."""
    kind, _, ident = made_by.partition(":")
    return int(ident) if kind == "user" and ident.isascii() and ident.isdigit() else None


def _new_hash(given: type[ResetPasswordIn | ChangePasswordIn], password: str, username: str) -> str:
    """The password's hash once it is checked (against the account's name too)."""
    field = next(iter(given.model_fields))
    given.read({field: password}, {USERNAME: username})
    return hash_password(password)  # slow on purpose: outside any transaction


def _account(
    user: User,
    links: tuple[TeamsLink, ...] = (),
    changes: tuple[AccountChangeRecord, ...] = (),
    organisation: tuple[OidcLinkRecord, ...] = (),
) -> Account:
    return Account(
        user.id,
        user.username,
        user.role,
        user.team.name,
        user.active,
        user.email,
        links,
        changes,
        organisation,
    )
