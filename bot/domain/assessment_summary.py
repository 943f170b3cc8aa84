"""One of a practitioner's own assessments as their home page and chat page list it (moved out of
bot.domain.records, which holds the store's records and inputs, when that module reached its size limit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.lifecycle import AssessmentStatus


@dataclass(frozen=True)
class AssessmentSummary:
    """One of a practitioner's own assessments, as their home page and chat page need it.

    `answer_values` (current values by question id) is filled for drafts only, so that the question bank can
    say where the practitioner stopped; `review_status` and the lead's `feedback` only once submitted.
    """

    reference: str
    conversation_id: str
    channel: str
    mode: str
    status: str
    current_question_id: str | None
    answer_values: dict[str, Any]
    messages: int  # lines in the chat display log: 0 means the engine has not said anything yet
    urgent: bool
    lead_unreached_at: datetime | None
    created_at: datetime
    last_used_at: datetime
    submitted_at: datetime | None
    review_status: str | None
    feedback: str | None
    feedback_given_on: date | None
    linked_from: str | None
    # Issue #12: a lead asked for the full assessment after a Request for Support; their message, verbatim.
    full_requested_at: datetime | None = None
    full_request_message: str | None = None
    # Issue #13: the scenario a practice run was started from; None for a live run.
    scenario_id: str | None = None

    @property
    def submitted(self) -> bool:
        return self.status != AssessmentStatus.IN_PROGRESS
