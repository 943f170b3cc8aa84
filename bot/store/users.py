"""Accounts and signing in: making an account (and its team), giving it an address, checking a password.

Password hashing is slow on purpose, so it always happens outside any transaction, off the SQLite write lock.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.account_inputs import EmailIn, NewUserIn
from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError
from bot.domain.records import TeamLeadGap, UserInfo
from bot.store import inputs, oidc_links, repository
from bot.store.models import Team, User
from bot.store.passwords import credential_stamp, hash_password, needs_rehash, verify_password
from bot.store.unit_of_work import Service, UnitOfWork


class UserService(Service):
    def create_user(
        self,
        username: str,
        password: str,
        role: str,
        team_name: str,
        email: str | None = None,
        *,
        create_team: bool = True,
    ) -> UserInfo:
        """A new account in `team_name`; a team of that name is made for it only if `create_team` (else a
        missing team is a NotFoundError on the field `team`, so a misspelt name never splits a team)."""
        NewUserIn(username=username, password=password, role=role, team=team_name, email=email)
        password_hash = hash_password(password)  # slow on purpose: do it before taking the write lock

        def create(uow: UnitOfWork) -> UserInfo:
            user = add_user(uow, username, password_hash, role, team_name, email, create_team=create_team)
            uow.audit(AuditAction.USER_CREATED, user_id=user.id, role=role, team_id=user.team_id)
            return repository.user_info(user)

        return self._write(create)

    def set_user_email(self, username: str, email: str) -> UserInfo:
        """Give an account the address its urgent notices go to (replacing any earlier one)."""
        EmailIn(email=email)

        def set_email(uow: UnitOfWork) -> UserInfo:
            user = repository.user_by_name(uow.session, username) if inputs.findable(username) else None
            if user is None:
                raise NotFoundError({"username": f"no user called {username!r}"})
            if user.email != email:
                user.email = email
                uow.audit(AuditAction.USER_EMAIL_SET, user_id=user.id)  # the address itself stays out
            return repository.user_info(user)

        return self._write(set_email)

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        if not isinstance(password, str) or not inputs.findable(username):
            username = ""  # still verified against a dummy hash below, so every refusal takes as long
        with self._reading() as uow:
            user = repository.user_by_name(uow.session, username) if username else None
            user_id, stored_hash = (user.id, user.password_hash) if user and user.active else (None, None)
        # Hashing is slow on purpose, so it happens outside any transaction (and off the SQLite write lock).
        ok = verify_password(stored_hash, password if isinstance(password, str) else "")
        new_hash = hash_password(password) if ok and stored_hash and needs_rehash(stored_hash) else None

        def record(uow: UnitOfWork) -> UserInfo | None:
            if not ok or user_id is None:
                uow.audit(AuditAction.USER_SIGN_IN_FAILED, user_id=user.id if user else None)
                return None
            signed_in = uow.session.get(User, user_id)
            if signed_in is None:
                return None
            if new_hash is not None:
                signed_in.password_hash = new_hash
            uow.audit(AuditAction.USER_SIGNED_IN, user_id=user_id)
            return repository.user_info(signed_in)

        return self._write(record)

    def sign_in_verified(
        self, issuer: str, subject: str, username: object, allowed: set[tuple[str, str]]
    ) -> tuple[UserInfo | None, str]:
        """Issue #32: sign in someone their organisation's provider has verified (bot.web.oidc), as the
        account their issuer and subject are linked to, or at their first sign-in the one their username
        claim names (then linked, bot.store.oidc_links); only if it is active and its role and team are among
        `allowed` (what their claims grant). Returns the account or None and why not ("unknown",
        "deactivated", "unmapped", or an account linked to another subject), each audited in the same
        transaction."""

        def record(uow: UnitOfWork) -> tuple[UserInfo | None, str]:
            found = oidc_links.resolve(uow.session, issuer, subject, username)
            user, reason = found.user, found.why
            if not reason and user is not None:
                reason = "deactivated" if not user.active else ""
                reason = reason or ("unmapped" if (user.role, user.team.name) not in allowed else "")
            if user is None or reason:
                user_id = user.id if user else None
                uow.audit(AuditAction.USER_SIGN_IN_FAILED, user_id=user_id, method="oidc", why=reason)
                return None, reason
            if found.link_now:
                oidc_links.add_link(uow, user, issuer, subject, method="first-sign-in")
            uow.audit(AuditAction.USER_SIGNED_IN, user_id=user.id, method="oidc")
            return repository.user_info(user), ""

        return self._write(record)

    def sign_in_refused(self, why: str) -> None:
        """Issue #32: an OpenID Connect sign-in refused before any account was named (a token that failed
        its checks, a wrong state), audited all the same."""
        self._write(
            lambda uow: uow.audit(AuditAction.USER_SIGN_IN_FAILED, user_id=None, method="oidc", why=why)
        )

    def deactivate_user(self, username: str) -> UserInfo:
        """Stop an account signing in or saying anything more. Nothing is cached anywhere: every signed-in
        request and every Teams message reads the flag (`active_user`), so this ends their sessions at once
        on every channel, even though the command runs in another process than the app."""

        def deactivate(uow: UnitOfWork) -> UserInfo:
            user = repository.user_by_name(uow.session, username) if inputs.findable(username) else None
            if user is None:
                raise NotFoundError({"username": f"no user called {username!r}"})
            if user.active:
                user.active = False
                uow.audit(AuditAction.USER_DEACTIVATED, user_id=user.id)
            return repository.user_info(user)

        return self._write(deactivate)

    def active_user(self, user_id: int) -> UserInfo | None:
        """The account, if it may still act: read on every signed-in request (one primary-key read)."""
        with self._reading() as uow:
            user = uow.session.get(User, user_id)
            return repository.user_info(user) if user is not None and user.active else None

    def session_user(self, user_id: int) -> tuple[UserInfo, str] | None:
        """The account and its password's stamp, if it may still act: read on every signed-in web request
        (one primary-key read, as `active_user`), so a deactivation or a new password counts at once."""
        with self._reading() as uow:
            user = uow.session.get(User, user_id)
            if user is None or not user.active:
                return None
            return repository.user_info(user), credential_stamp(user.password_hash)

    def get_user(self, user_id: int) -> UserInfo | None:
        with self._reading() as uow:
            user = uow.session.get(User, user_id)
            return repository.user_info(user) if user else None

    def find_user(self, username: str) -> UserInfo | None:
        """An account by its sign-in name, for administrators naming the account to link or to change."""
        if not inputs.findable(username):
            return None
        with self._reading() as uow:
            user = repository.user_by_name(uow.session, username)
            return repository.user_info(user) if user else None

    def team_names(self) -> list[str]:
        """Every team's name, in order: for an administrator who named one that does not exist."""
        with self._reading() as uow:
            return list(uow.session.scalars(select(Team.name).order_by(Team.name)))

    def teams_without_reachable_lead(
        self, team: str | None = None, adding: tuple[str, bool] | None = None
    ) -> list[TeamLeadGap]:
        """Every team (or the one named) whose urgent reports would reach no lead: for `bot user add` and
        `bot run` to say so (bot.runtime.lead_gaps); with `adding` (role, has an address), as it would be
        once such an account is made, for the admin's check-answers page."""
        if team is not None and not inputs.findable(team):
            return []
        with self._reading() as uow:
            return repository.teams_without_reachable_lead(uow.session, team, adding)


def add_user(
    uow: UnitOfWork,
    username: str,
    password_hash: str,
    role: str,
    team_name: str,
    email: str | None,
    *,
    create_team: bool,
) -> User:
    """The one way an account is made (`bot user add` and the admin's "Create an account", bot.store.
    accounts), inside the caller's transaction, which audits it: a taken name is a ConflictError, a missing
    team a NotFoundError unless `create_team` (then the team is made and audited here)."""
    session = uow.session
    if repository.user_by_name(session, username) is not None:
        raise ConflictError({"username": f"a user called {username!r} already exists"})
    now = uow.now()
    team = repository.team_by_name(session, team_name)
    if team is None and not create_team:
        raise NotFoundError({"team": f"no team called {team_name!r}"})
    if team is None:
        team = Team(name=team_name, created_at=now)
        session.add(team)
        session.flush()
        uow.audit(AuditAction.TEAM_CREATED, team_id=team.id)
    user = User(
        username=username, password_hash=password_hash, role=role, team=team, created_at=now, email=email
    )
    session.add(user)
    session.flush()
    return user
