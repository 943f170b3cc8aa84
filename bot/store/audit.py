"""Writing audit events, always inside the caller's transaction so a change and its trail commit together.

Detail holds ids, labels and counts only: the trail must be safe to show an administrator, so the
practitioner's words never go into it. The action is a member of `AuditAction` (bot/domain/audit_actions.py),
so every action stored has a label on the case history; a plain string that names no member is refused here,
before anything is written, rather than stored as a key no page can explain.

Each event is chained to the one before it (bot/domain/audit_chain.py). Two writers must never both chain to
the same predecessor, or the trail forks: on PostgreSQL an append takes a transaction-scoped advisory lock
before it reads the last hash, held until the transaction commits or rolls back, so appends queue; on SQLite
every writing transaction starts with `BEGIN IMMEDIATE` (bot/store/db.py), which already lets one writer in
at a time. The insert is flushed at once so that row ids follow chain order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.audit_chain import GENESIS, event_hash
from bot.domain.records import Actor
from bot.store.models import AuditEvent

# Any fixed 64-bit number works, as long as nothing else in the database uses it as an advisory lock key.
CHAIN_LOCK_KEY = 0x5A_4155_4449_5431  # "ZAUDIT1"


def record_event(
    session: Session,
    actor: Actor,
    action: AuditAction,
    at: datetime,
    *,
    conversation_id: str | None = None,
    assessment_id: int | None = None,
    user_id: int | None = None,
    **detail: Any,
) -> None:
    known = AuditAction(action)  # ValueError for a string that names no action
    fields = {
        "at": at,
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "action": known.value,
        "conversation_id": conversation_id,
        "assessment_id": assessment_id,
        "user_id": user_id,
        "detail": detail,
    }
    previous = last_hash(session)
    session.add(AuditEvent(**fields, prev_hash=previous, hash=event_hash(previous, fields)))
    session.flush()


def last_hash(session: Session) -> str:
    """The hash to chain to, with the chain locked for this transaction (see the module's docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    latest = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return latest or GENESIS
