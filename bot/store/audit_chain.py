"""Checking the stored audit trail against its hash chain, for `bot audit verify` (issue #31).

Reads the events in id order in batches, one read-only transaction, so a long trail is checked in constant
memory and without holding up writers (SQLite's readers do not block its writer in WAL mode).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_chain import HASHED_FIELDS, ChainBreak, ChainedEvent, ChainSummary, find_break
from bot.store.db import READ_ONLY_OPTION
from bot.store.models import AuditEvent

BATCH = 1000


def verify_trail(sessions: sessionmaker[Session]) -> ChainBreak | ChainSummary:
    """The first changed, deleted or reordered event, or a summary of a whole chain."""
    with sessions() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        return find_break(_events(session), lambda digest: _id_with_hash(session, digest))


def _events(session: Session) -> Iterator[ChainedEvent]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            fields = {name: getattr(row, name) for name in HASHED_FIELDS}
            yield ChainedEvent(row.id, fields, row.prev_hash, row.hash)
        after = rows[-1].id
        session.expunge_all()  # keep memory flat on a long trail


def event_with_hash(sessions: sessionmaker[Session], digest: str) -> int | None:
    """The id of the event with this hash, if the trail still holds one (a hash noted earlier, say)."""
    with sessions() as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        return _id_with_hash(session, digest)


def _id_with_hash(session: Session, digest: str) -> int | None:
    """Only asked once, at a break, so a scan of the table is acceptable (there is no index on `hash`)."""
    return session.scalar(select(AuditEvent.id).where(AuditEvent.hash == digest).limit(1))
