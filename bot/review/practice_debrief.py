"""The debrief of a submitted practice run (issue #13), read from the store and audited.

The trainee reads their own runs' debriefs and a trainer the runs of their team: the same scope as the
rehearsal cases each may open (bot.review.scope), narrowed to submitted practice runs that came from a
scenario, so a live case can never be debriefed and a lead (who sees live cases only) reaches none. The
debrief itself is bot.scenarios.debrief's pure function; this module only gathers its input from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError
from bot.domain.roles import Action, permits
from bot.review.records import Viewer
from bot.review.unit import Refused, ReviewUnit, unwrap
from bot.scenarios import Scenario
from bot.scenarios.debrief import build_debrief
from bot.scenarios.debrief_data import DebriefData
from bot.scenarios.debrief_records import Debrief, PracticeRun
from bot.scenarios.provider import LibraryProvider
from bot.store import practice_runs, repository
from bot.store.practice_runs import PracticeRunRow

NO_DEBRIEF = {
    "reference": "There is no practice run with this reference whose debrief you can read. A debrief is "
    "ready once the run is submitted."
}
GONE_SCENARIO = {
    "scenario": "This run's scenario is no longer in the library, so its debrief cannot be made. The run "
    "itself is unchanged."
}


@dataclass(frozen=True)
class FeedbackNote:
    """A trainer's note to the trainee, as written (bot.review.practice_feedback)."""

    trainer: str
    text: str  # verbatim
    written_at: datetime


@dataclass(frozen=True)
class DebriefView:
    case_id: int  # for a trainer's link to the run's case page
    reference: str
    practitioner: str | None  # the trainee, for a trainer reading their team's runs
    submitted_at: datetime | None
    debrief: Debrief
    feedback: tuple[FeedbackNote, ...] = ()  # trainers' notes to the trainee, newest first


class PracticeDebriefs(ReviewUnit):
    @cached_property
    def _library(self) -> LibraryProvider:
        # Checked against the bank the chat now asks from, and read again when it or the files change.
        return LibraryProvider(self._banks)

    @property
    def _scenarios(self) -> dict[str, Scenario]:
        return self._library.scenarios()

    @property
    def _debrief_data(self) -> DebriefData:
        return self._library.debrief_data()

    def open_debrief(self, user_id: int, address: str, reference: str) -> DebriefView:
        """The run's debrief; NotFoundError (audited) for a run outside the viewer's scope, not submitted,
        not a practice run, or no run at all: the page does not confirm that one exists."""

        def open_(session: Session) -> DebriefView | Refused:
            who = self._viewer(session, user_id, address)
            assessment = (
                submitted_run(session, who, reference) if permits(who.role, Action.READ_DEBRIEFS) else None
            )
            if assessment is None:
                self._audit(session, who, AuditAction.DEBRIEF_VIEW_REFUSED, reference=reference)
                return Refused(NotFoundError(NO_DEBRIEF))
            scenario = self._scenarios.get(assessment.scenario_id or "")
            if scenario is None:
                return Refused(NotFoundError(GONE_SCENARIO))
            self._audit(session, who, AuditAction.DEBRIEF_VIEWED, assessment=assessment, scenario=scenario.id)
            record = repository.assessment_record(session, assessment)
            return DebriefView(
                case_id=assessment.id,
                reference=record.reference,
                practitioner=record.practitioner,
                submitted_at=record.submitted_at,
                debrief=build_debrief(
                    scenario, self._bank, self._debrief_data, practice_run(session, assessment)
                ),
                feedback=feedback_notes(session, assessment),
            )

        return unwrap(self._write(open_))


def submitted_run(session: Session, who: Viewer, reference: str) -> PracticeRunRow | None:
    """The submitted practice run from a scenario with this reference, if it is in the viewer's scope."""
    return practice_runs.submitted_run(session, who, reference)


def feedback_notes(session: Session, assessment: PracticeRunRow) -> tuple[FeedbackNote, ...]:
    return tuple(
        FeedbackNote(trainer=row.trainer, text=row.text, written_at=row.written_at)
        for row in practice_runs.feedback_notes(session, assessment.id)
    )


def practice_run(session: Session, assessment: PracticeRunRow) -> PracticeRun:
    """The run as the debrief reads it: its answers, danger reports, times and the trainee's turns."""
    record = repository.assessment_record(session, assessment)
    rows = repository.chat_rows(session, assessment.conversation_id)
    return PracticeRun(
        answers=record.answers,
        danger_reported_at=_danger_reports(session, assessment),
        started_at=record.created_at,
        submitted_at=record.submitted_at,
        turns=sum(1 for row in rows if row.direction == "in"),  # the practitioner's own messages
    )


def _danger_reports(session: Session, assessment: PracticeRunRow) -> tuple[datetime, ...]:
    """When the run took the danger path: each danger report (an urgent flag that answers no follow-up
    question), except those the trainee stood down themselves by answering "no" to "is anyone in danger
    now?" after danger was read in what they typed: they said there was none, so no 999 path was taken."""
    own = [
        row.through_flag_id
        for row, _ in repository.stand_downs(session, assessment.id)
        if row.stood_down_by is not None and row.stood_down_by == assessment.practitioner_id
    ]
    through = max(own, default=0)
    return tuple(
        flag.flagged_at
        for flag in repository.urgent_flags(session, assessment.id)
        if flag.question_id is None and flag.id > through
    )
