"""The trainer pages (issue #13): a trainer's team's practice runs, and the scenario facts most often missed.

Trainers only (Action.OVERSEE_PRACTICE), their own team only: the runs are the team's rehearsal
assessments that came from a scenario, submitted or still being written. The facts most often missed are
counted over submitted runs only (a run still being written has not yet had its chance to capture them),
with the same pure debrief the trainee reads (bot.scenarios.debrief), so a count here is the number of
debriefs that say "Not captured". They name the scenario's facts, never the fictional child, and give no
score of anyone. Every view and export is audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotPermittedError
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.roles import Action, permits
from bot.review.practice_debrief import PracticeDebriefs, practice_run
from bot.review.unit import Refused, unwrap
from bot.scenarios import Scenario
from bot.scenarios.debrief import build_debrief
from bot.store import practice_runs
from bot.store.practice_runs import PracticeRunRow

TRAINERS_ONLY = "Only trainers see their team's practice runs."


@dataclass(frozen=True)
class TrainingRun:
    case_id: int
    reference: str
    scenario_id: str
    scenario_title: str  # the id itself for a scenario no longer in the library
    practitioner: str | None
    started_at: datetime
    submitted_at: datetime | None  # None while the run is still being written

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class MissedFact:
    fact_id: str
    summary: str
    missed: int  # submitted runs whose debrief says "Not captured"


@dataclass(frozen=True)
class ScenarioRuns:
    scenario_id: str
    title: str
    runs: int
    submitted: int
    missed: tuple[MissedFact, ...]  # most often missed first; facts no run missed are left out


@dataclass(frozen=True)
class TrainingView:
    runs: tuple[TrainingRun, ...]  # newest first
    scenarios: tuple[ScenarioRuns, ...]  # the library's order; every scenario, run or not


class TrainingOverview(PracticeDebriefs):
    def training_overview(self, user_id: int, address: str, *, export: bool = False) -> TrainingView:
        """The trainer's team's practice runs and missed facts; ForbiddenError (audited) for anyone else."""

        def read(session: Session) -> TrainingView | Refused:
            who = self._viewer(session, user_id, address)
            if not permits(who.role, Action.OVERSEE_PRACTICE):
                self._audit(session, who, AuditAction.TRAINING_VIEWED, refused=True)
                return Refused(NotPermittedError({"role": TRAINERS_ONLY}))
            assessments = practice_runs.team_runs(session, who.team_id)
            library = self._scenarios  # one reading of the library for the whole page
            view = TrainingView(
                runs=tuple(self._run(assessment, library) for assessment in assessments),
                scenarios=self._scenario_runs(session, assessments, library),
            )
            action = AuditAction.TRAINING_EXPORTED if export else AuditAction.TRAINING_VIEWED
            self._audit(session, who, action, runs=len(view.runs))
            return view

        return unwrap(self._write(read))

    def _run(self, assessment: PracticeRunRow, library: dict[str, Scenario]) -> TrainingRun:
        scenario_id = assessment.scenario_id or ""
        scenario = library.get(scenario_id)
        practitioner = assessment.practitioner
        return TrainingRun(
            case_id=assessment.id,
            reference=assessment.reference,
            scenario_id=scenario_id,
            scenario_title=scenario.title if scenario is not None else scenario_id,
            practitioner=practitioner.username if practitioner is not None else None,
            started_at=assessment.created_at,
            submitted_at=assessment.submitted_at if _is_submitted(assessment) else None,
        )

    def _scenario_runs(
        self, session: Session, assessments: list[PracticeRunRow], library: dict[str, Scenario]
    ) -> tuple[ScenarioRuns, ...]:
        found: list[ScenarioRuns] = []
        bank, data = self._bank, self._debrief_data
        for scenario in library.values():
            runs = [a for a in assessments if a.scenario_id == scenario.id]
            submitted = [a for a in runs if _is_submitted(a)]
            missed: Counter[str] = Counter()
            for assessment in submitted:
                debrief = build_debrief(scenario, bank, data, practice_run(session, assessment))
                missed.update(fact.fact_id for fact in debrief.facts if not fact.captured)
            summaries = {fact.id: fact.summary for fact in scenario.facts}
            order = {fact.id: index for index, fact in enumerate(scenario.facts)}
            ranked = sorted(missed.items(), key=lambda item: (-item[1], order[item[0]]))
            found.append(
                ScenarioRuns(
                    scenario_id=scenario.id,
                    title=scenario.title,
                    runs=len(runs),
                    submitted=len(submitted),
                    missed=tuple(MissedFact(fid, summaries[fid], count) for fid, count in ranked),
                )
            )
        return tuple(found)


def _is_submitted(assessment: PracticeRunRow) -> bool:
    return assessment.status == AssessmentStatus.SUBMITTED
