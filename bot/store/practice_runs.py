"""Practice runs (issue #13), read and written for the debrief, the trainer's feedback and the training pages.

The review decides who may see what and writes the audit events (bot.review.practice_debrief,
practice_feedback, training); the rows are read and written here, in the caller's transaction, so only the
store touches the ORM models (issue #29). A trainer's note is kept verbatim (sealed in its own table).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.case_list import Viewer
from bot.domain.lifecycle import AssessmentStatus, Mode
from bot.store.case_rows import CaseRow, PractitionerRow
from bot.store.case_scope import case_scope
from bot.store.feedback_models import PracticeFeedback
from bot.store.models import Assessment, User


class TraineeRow(PractitionerRow, Protocol):
    @property
    def username(self) -> str: ...


class PracticeRunRow(CaseRow, Protocol):
    """A practice run as stored (bot.store.models.Assessment satisfies it): a case with its scenario."""

    @property
    def scenario_id(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def conversation_id(self) -> int: ...
    @property
    def practitioner(self) -> TraineeRow | None: ...


class FeedbackNoteRow(NamedTuple):
    trainer: str  # the trainer's username
    text: str  # verbatim
    written_at: datetime


def submitted_run(session: Session, who: Viewer, reference: str) -> PracticeRunRow | None:
    """The submitted practice run from a scenario with this reference, if it is in the viewer's scope."""
    return session.scalar(
        select(Assessment).where(
            Assessment.reference == reference,
            Assessment.mode == Mode.REHEARSAL,
            Assessment.scenario_id.is_not(None),
            Assessment.status == AssessmentStatus.SUBMITTED,
            case_scope(role=who.role, team_id=who.team_id, user_id=who.user_id),
        )
    )


def team_runs(session: Session, team_id: int | None) -> list[PracticeRunRow]:
    """A team's practice runs from a scenario, submitted or still being written, newest first."""
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.team_id == team_id,
                Assessment.mode == Mode.REHEARSAL,
                Assessment.scenario_id.is_not(None),
            )
            .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        )
    )


def feedback_notes(session: Session, assessment_id: int) -> list[FeedbackNoteRow]:
    """The trainers' notes on a run, newest first, each with its trainer's username."""
    rows = session.execute(
        select(PracticeFeedback.text, PracticeFeedback.written_at, User.username)
        .join(User, PracticeFeedback.trainer_id == User.id)
        .where(PracticeFeedback.assessment_id == assessment_id)
        .order_by(PracticeFeedback.written_at.desc(), PracticeFeedback.id.desc())
    ).all()
    return [FeedbackNoteRow(trainer=name, text=text, written_at=at) for text, at, name in rows]


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
