"""Writing audit events, always inside the caller's transaction so a change and its trail commit together.

Detail holds ids, labels and counts only: the trail must be safe to show an administrator, so the
practitioner's words never go into it. The action is a member of `AuditAction` (bot/domain/audit_actions.py),
so every action stored has a label on the case history; a plain string that names no member is refused here,
before anything is written, rather than stored as a key no page can explain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.records import Actor
from bot.store.models import AuditEvent


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
    session.add(
        AuditEvent(
            at=at,
            actor_kind=actor.kind,
            actor_id=actor.id,
            action=known.value,
            conversation_id=conversation_id,
            assessment_id=assessment_id,
            user_id=user_id,
            detail=detail,
        )
    )
