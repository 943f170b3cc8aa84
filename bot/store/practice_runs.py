"""Practice runs (issue #13), read and written for the debrief, the trainer's feedback and the training pages.

The review decides who may see what and writes the audit events (bot.review.practice_debrief,
practice_feedback, training); the rows are read and written here, in the caller's transaction, so only the
store touches the ORM models (issue #29). A trainer's note is kept verbatim (sealed in its own table).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.store.feedback_models import PracticeFeedback


def add_feedback(
    session: Session, *, assessment_id: int, trainer_id: int, text: str, written_at: datetime
) -> int:
    """A trainer's note on a run, as typed; the new note's id (the audit event names it, never its words)."""
    note = PracticeFeedback(
        assessment_id=assessment_id, trainer_id=trainer_id, text=text, written_at=written_at
    )
    session.add(note)
    session.flush()
    return note.id
