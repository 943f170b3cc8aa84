"""How far an assessment went before it was submitted (issue #12, "from screening to support").

A practitioner may send the screening part on its own as a Request for Support, or go on through the fuller
exploratory questions first. The stage is stored with the submission so a lead sees which they are reading;
rows submitted before stages existed were all full assessments (migration 0016).
"""

from __future__ import annotations

from enum import StrEnum


class SubmittedStage(StrEnum):
    SCREENING = "screening"  # a Request for Support: the screening answers only
    FULL = "full"  # the whole assessment


SUBMITTED_STAGES: tuple[str, ...] = tuple(stage.value for stage in SubmittedStage)

# What a lead reads beside the case; the wording of the one stage that needs saying.
STAGE_LABELS: dict[SubmittedStage, str] = {
    SubmittedStage.SCREENING: "Request for Support (screening only)",
    SubmittedStage.FULL: "Full assessment",
}


def stage_label(stage: SubmittedStage | None) -> str | None:
    """What a lead is told of the stage: only a Request for Support needs saying (a full one is usual)."""
    return STAGE_LABELS[stage] if stage == SubmittedStage.SCREENING else None
