"""Sessions that were ended on purpose, kept across restarts, and the key of the drafts kept in the browser.

The app keeps its live sessions in memory, so a restart signs everyone out; but the cookie of a session that
ended by time still lets its owner's last message be held for them (bot.web.held). A session that was
signed out, or whose account was deactivated, must not: so its id is written here (as a SHA-256, never the
id itself) and a cookie the app does not recognise is looked up here before anything is held for it. Rows
older than the absolute session lifetime are deleted whenever one is written: by then the cookie is refused
as expired whatever it says.

An explicit sign-out also replaces the account's salt for the browser drafts' key (bot.web.held), in the same
transaction and audit event, so that a draft left on a shared computer cannot be read with any key the app
will hand out again. An idle time-out changes nothing here: the drafts must still open after signing in.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ValidationError
from bot.domain.records import Actor
from bot.store.models import User, utcnow
from bot.store.session_models import ENDED_WHY, BrowserDraftKey, EndedSessionRow
from bot.store.unit_of_work import Transactions, UnitOfWork

SALT_BYTES = 16


def id_hash(session_id: str) -> str:
    """What is stored for a session id: its SHA-256 (the id is 32 random bytes, so no salt is needed)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


class EndedSessionService(Transactions):
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        lifetime: timedelta,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = session_factory
        self._lifetime = lifetime
        self._clock = clock

    def signed_out(self, session_id: str, user_id: int) -> None:
        """An explicit sign-out: the session is dead for good, and the drafts' key is replaced."""

        def sign_out(session: Session) -> None:
            now = self._record(session, session_id, user_id, "signed_out")
            row = session.get(BrowserDraftKey, user_id)
            if row is None:
                row = BrowserDraftKey(user_id=user_id)
                session.add(row)
            row.salt = os.urandom(SALT_BYTES)
            row.replaced_at = now
            UnitOfWork.at(session, Actor.user(user_id), now).audit(
                AuditAction.USER_SIGNED_OUT, user_id=user_id
            )

        self._write(sign_out)

    def deactivated(self, session_id: str, user_id: int) -> None:
        """A session found open after its account was deactivated (the deactivation itself is audited)."""
        self._write(lambda session: self._record(session, session_id, user_id, "deactivated"))

    def password_changed(self, session_id: str, user_id: int) -> None:
        """A session found open after its account's password changed (the change itself is audited)."""
        self._write(lambda session: self._record(session, session_id, user_id, "password_changed"))

    def has_ended(self, session_id: str) -> bool:
        """True when this session was signed out or deactivated within the absolute lifetime."""
        with self._reading() as session:
            found = session.scalar(
                select(EndedSessionRow.id).where(
                    EndedSessionRow.id_hash == id_hash(session_id),
                    EndedSessionRow.ended_at > self._clock() - self._lifetime,
                )
            )
            return found is not None

    def draft_salt(self, user_id: int) -> bytes:
        """The account's current salt for its browser drafts' key; empty until its first sign-out."""
        with self._reading() as session:
            return (
                session.scalar(select(BrowserDraftKey.salt).where(BrowserDraftKey.user_id == user_id)) or b""
            )

    def _record(self, session: Session, session_id: str, user_id: int, why: str) -> datetime:
        if why not in ENDED_WHY or not isinstance(session_id, str) or not session_id:
            raise ValidationError(
                {"session": "an ended session needs its id and one of " + ", ".join(ENDED_WHY)}
            )
        if session.get(User, user_id) is None:
            raise ValidationError({"user_id": "no such account"})
        now = self._clock()
        # Past the absolute lifetime these can no longer matter: such a cookie is refused as expired anyway.
        session.execute(delete(EndedSessionRow).where(EndedSessionRow.ended_at <= now - self._lifetime))
        digest = id_hash(session_id)
        if session.scalar(select(EndedSessionRow.id).where(EndedSessionRow.id_hash == digest)) is None:
            session.add(EndedSessionRow(id_hash=digest, user_id=user_id, ended_at=now, why=why))
        session.flush()
        return now
