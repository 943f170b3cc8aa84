"""Holding a message for its author when it arrived after their sign-in session had ended (issue 17).

A practitioner writes a long account, is called away past the idle limit, and presses Send: the page can
only answer with the sign-in form, but what they typed must not be lost. The web layer hands the text here
(only when the expired session's own cookie and form token came with it), and after the same person signs in
again, their assessment's page puts it back in the text box. It is never recorded as an answer here: only
pressing Send again, signed in, does that.

How the text is kept:
- AES-GCM with a 256-bit key derived (HKDF-SHA256) from the session secret, which is never stored with it;
- the author's user id and the assessment's reference as associated data, so a row decrypts only for that
  account and that assessment: copied onto another row, or read back for anyone else, it fails;
- one row per author and assessment (a later message replaces the earlier one), with an expiry
  (BOT_HELD_MESSAGE_HOURS, 24 by default); expired rows are purged whenever a message is held.

The text is never logged and never audited: audit events (`message.held`, `message.restored`,
`message.expired`, `message.unreadable`) carry ids only. Changing BOT_SESSION_SECRET makes rows unreadable;
they are then dropped (and audited) when found, exactly like expired ones.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.records import Actor
from bot.store import repository
from bot.store.held_models import HeldMessage
from bot.store.models import Assessment, User, utcnow
from bot.store.references import PATTERN as REFERENCE_PATTERN
from bot.store.unit_of_work import Transactions, UnitOfWork

log = logging.getLogger(__name__)


KEY_PURPOSE = b"bot.store.held_messages v1"
NONCE_BYTES = 12
# Held even when too long to send (the page then refuses it with the box still full, so it can be shortened),
# but within a bound: the request size limit keeps it far below this anyway.
MAX_HELD_CHARS = 10 * MAX_ANSWER_CHARS
HOUSEKEEPER = Actor("service", "held-messages")


def derive_key(secret: bytes, purpose: bytes) -> bytes:
    """A 256-bit key for one purpose, from the session secret (HKDF-SHA256): one secret, separate keys."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def _bound_to(user_id: int, reference: str) -> bytes:
    """The associated data: who the text belongs to and which assessment it was typed for."""
    return f"held-message\x00{user_id}\x00{reference}".encode()


class HeldMessageService(Transactions):
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        session_secret: bytes,
        *,
        hours: float = 24.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = session_factory
        self._cipher = AESGCM(derive_key(session_secret, KEY_PURPOSE))
        self._lifetime = timedelta(hours=hours)
        self._clock = clock

    def hold(self, user_id: int, reference: str, text: str) -> bool:
        """Keep `text` for `user_id` to send in their draft `reference`; False when there is nothing to keep
        (no words, far too long) or nowhere to put it back (not their own draft, or no such account)."""
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_HELD_CHARS:
            return False

        def hold_(session: Session) -> bool:
            now = self._clock()
            self._purge(session, now)
            user = session.get(User, user_id)
            assessment = _own_draft(session, user_id, reference)
            if user is None or not user.active or assessment is None:
                return False
            nonce = os.urandom(NONCE_BYTES)
            sealed = nonce + self._cipher.encrypt(
                nonce, text.encode("utf-8", "surrogatepass"), _bound_to(user_id, assessment.reference)
            )
            row = session.scalar(
                select(HeldMessage).where(
                    HeldMessage.user_id == user_id, HeldMessage.assessment_id == assessment.id
                )
            )
            replaced = row is not None
            if row is None:
                row = HeldMessage(user_id=user_id, assessment_id=assessment.id)
                session.add(row)
            row.ciphertext = sealed
            row.created_at = now
            row.expires_at = now + self._lifetime
            session.flush()
            UnitOfWork.at(session, Actor.user(user_id), now).audit(
                AuditAction.MESSAGE_HELD,
                assessment=assessment,
                user_id=user_id,
                held_message_id=row.id,
                replaced=replaced,
            )
            return True

        try:
            return self._write(hold_)
        except IntegrityError:  # the same person's second tab held one at the same moment: replace it
            return self._write(hold_)

    def waiting(self, user_id: int) -> str | None:
        """The reference of the draft whose held message is newest, if any is still to be shown."""
        with self._reading() as session:
            return session.scalar(
                select(Assessment.reference)
                .join(HeldMessage, HeldMessage.assessment_id == Assessment.id)
                .where(
                    HeldMessage.user_id == user_id,
                    HeldMessage.expires_at > self._clock(),
                    Assessment.practitioner_id == user_id,
                    Assessment.status == AssessmentStatus.IN_PROGRESS,
                )
                .order_by(HeldMessage.created_at.desc(), HeldMessage.id.desc())
                .limit(1)
            )

    def take(self, user_id: int, reference: str) -> str | None:
        """The text held for `user_id` in `reference`, exactly as it was posted, removed from the store as
        it is handed back (it goes into the page's text box); None when there is none."""
        if not self._has_any(user_id, reference):
            return None  # the usual case, answered without a write transaction

        def take_(session: Session) -> str | None:
            now = self._clock()
            assessment = _own_draft(session, user_id, reference)
            if assessment is None:
                return None
            row = session.scalar(
                select(HeldMessage).where(
                    HeldMessage.user_id == user_id, HeldMessage.assessment_id == assessment.id
                )
            )
            if row is None:
                return None  # another tab took it a moment ago
            text = None
            if row.expires_at > now:
                text = self._open(row.ciphertext, _bound_to(user_id, assessment.reference))
            if text is None:
                action = (
                    AuditAction.MESSAGE_EXPIRED if row.expires_at <= now else AuditAction.MESSAGE_UNREADABLE
                )
            else:
                action = AuditAction.MESSAGE_RESTORED
            UnitOfWork.at(session, Actor.user(user_id) if text is not None else HOUSEKEEPER, now).audit(
                action,
                assessment=assessment,
                user_id=user_id,
                held_message_id=row.id,
            )
            session.delete(row)
            return text

        return self._write(take_)

    def purge_expired(self) -> int:
        """Remove every held message past its expiry (audited, ids only); how many were removed."""
        with self._reading() as session:
            due = select(HeldMessage.id).where(HeldMessage.expires_at <= self._clock()).limit(1)
            if session.scalar(due) is None:
                return 0  # the usual case, answered without a write transaction
        return self._write(lambda session: self._purge(session, self._clock()))

    # -- plumbing ----------------------------------------------------------------------------------------

    def _open(self, sealed: bytes, bound_to: bytes) -> str | None:
        try:
            plain = self._cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], bound_to)
        except (InvalidTag, ValueError):
            log.warning("a held message could not be decrypted (other key, or not its owner); dropped")
            return None
        return plain.decode("utf-8", "surrogatepass")

    def _has_any(self, user_id: int, reference: str) -> bool:
        with self._reading() as session:
            found = session.scalar(
                select(HeldMessage.id)
                .join(Assessment, HeldMessage.assessment_id == Assessment.id)
                .where(HeldMessage.user_id == user_id, Assessment.reference == reference.upper())
                .limit(1)
            )
            return found is not None

    def _purge(self, session: Session, now: datetime) -> int:
        expired = session.scalars(select(HeldMessage).where(HeldMessage.expires_at <= now)).all()
        for row in expired:
            UnitOfWork.at(session, HOUSEKEEPER, now).audit(
                AuditAction.MESSAGE_EXPIRED,
                assessment_id=row.assessment_id,
                user_id=row.user_id,
                held_message_id=row.id,
            )
            session.delete(row)
        session.flush()
        return len(expired)


def _own_draft(session: Session, user_id: int, reference: str) -> Assessment | None:
    """The user's own assessment with this reference, while it is a draft; None for anyone else's."""
    if not isinstance(reference, str) or not REFERENCE_PATTERN.fullmatch(reference.upper()):
        return None
    assessment = repository.assessment_by_reference(session, reference.upper())
    if (
        assessment is None
        or assessment.practitioner_id != user_id
        or assessment.status != AssessmentStatus.IN_PROGRESS
    ):
        return None
    return assessment
