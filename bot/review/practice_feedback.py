"""A trainer's feedback note to the trainee on a submitted practice run (issue #13), beside its debrief.

Trainers only (Action.WRITE_PRACTICE_FEEDBACK), on the runs whose debrief they may read: submitted practice
runs of their own team (bot.review.practice_debrief.submitted_run). It is not the live decision form, which
asks for a pathway, a lawful basis and consent that no fictional child has. The text is kept verbatim; an
empty or over-long note is refused with a message and nothing is stored. Every note and refusal is audited
(ids only: the note's words stay in their own table, never in the trail).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, NotPermittedError, ValidationError
from bot.domain.roles import Action, permits
from bot.review.practice_debrief import NO_DEBRIEF, PracticeDebriefs, submitted_run
from bot.review.unit import Refused, unwrap
from bot.store import practice_runs

FEEDBACK_LIMIT = 4000  # characters: a note, not a report
TRAINERS_ONLY = "Only a trainer of the trainee's team writes feedback on a practice run."
EMPTY = "Enter your feedback to the trainee."
TOO_LONG = f"Your feedback must be {FEEDBACK_LIMIT:,} characters or fewer."


class PracticeFeedbackNotes(PracticeDebriefs):
    def write_feedback(self, user_id: int, address: str, reference: str, text: str) -> None:
        """Store the note; NotPermittedError (audited) for anyone not a trainer, NotFoundError (audited) for
        a run outside their team or not submitted, ValidationError for an empty or over-long note."""

        def write(session: Session) -> Refused | None:
            who = self._viewer(session, user_id, address)
            if not permits(who.role, Action.WRITE_PRACTICE_FEEDBACK):
                self._audit(session, who, AuditAction.FEEDBACK_REFUSED, reference=reference)
                return Refused(NotPermittedError({"role": TRAINERS_ONLY}))
            assessment = submitted_run(session, who, reference)
            if assessment is None:
                self._audit(session, who, AuditAction.FEEDBACK_REFUSED, reference=reference)
                return Refused(NotFoundError(NO_DEBRIEF))
            problem = feedback_problem(text)
            if problem is not None:
                return Refused(ValidationError({"feedback": problem}))
            note_id = practice_runs.add_feedback(
                session,
                assessment_id=assessment.id,
                trainer_id=who.user_id,
                text=text,
                written_at=self._clock(),
            )
            self._audit(
                session, who, AuditAction.FEEDBACK_WRITTEN, assessment=assessment, feedback_id=note_id
            )
            return None

        unwrap(self._write(write))


def feedback_problem(text: str) -> str | None:
    """What is wrong with a note, or None. Whitespace alone is empty; the length counts what was typed."""
    if not text.strip():
        return EMPTY
    if len(text) > FEEDBACK_LIMIT:
        return TOO_LONG
    return None
