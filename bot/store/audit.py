"""Writing audit events, always inside the caller's transaction so a change and its trail commit together.

Detail holds ids, labels and counts only: the trail must be safe to show an administrator, so the
practitioner's words never go into it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.records import Actor
from bot.store.models import AuditEvent


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    at: datetime,
    *,
    conversation_id: str | None = None,
    assessment_id: int | None = None,
    user_id: int | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            actor_kind=actor.kind,
            actor_id=actor.id,
            action=action,
            conversation_id=conversation_id,
            assessment_id=assessment_id,
            user_id=user_id,
            detail=detail,
        )
    )
