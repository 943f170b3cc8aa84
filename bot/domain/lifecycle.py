"""The lifecycles an assessment and its notices move through, as types rather than bare strings.

Each value is the string the database stores (the CHECK constraints and migrations hold the same words), so a
member compares equal to a stored value and a row needs no conversion. Writing a member instead of the word
lets a type checker and a reader find every place that depends on a stage, and a misspelt stage fails at
import instead of matching nothing. tests/test_lifecycle_literals.py keeps "in_progress", "submitted" and
"live" from coming back as bare strings outside the domain.
"""

from __future__ import annotations

from enum import StrEnum


class AssessmentStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # being written; only an urgent one reaches a lead's list
    SUBMITTED = "submitted"  # read-only for the practitioner, in the lead's review


class Mode(StrEnum):
    """Fixed when an assessment starts (issue #26): live cases and practice runs never mix (guardrail 8)."""

    LIVE = "live"
    REHEARSAL = "rehearsal"


class NoticeChannel(StrEnum):
    EMAIL = "email"
    TEAMS = "teams"


class NoticePurpose(StrEnum):
    """Why a notice is sent; a notice never holds case content, whatever its purpose."""

    URGENT_FLAG = "urgent_flag"
    LEAD_UNREACHED = "lead_unreached"
    SUBMITTED_FOR_REVIEW = "submitted_for_review"  # issue #26: to the team's leads
    DECISION_RECORDED = "decision_recorded"  # issue #26: to the practitioner
    FEEDBACK_GIVEN = "feedback_given"
    REVIEW_DUE = "review_due"  # issue #12: to the team's leads, once
    FULL_ASSESSMENT_REQUESTED = "full_assessment_requested"  # issue #12: to the practitioner
    CASE_ASSIGNED = "case_assigned"  # issue #12: to a lead another lead assigned a referral to


class NoticeState(StrEnum):
    """Where a notice is in the outbox: `failed` once retries ran out, `withdrawn` when the practitioner said
    no one was in danger while it waited for their check (issue #26). Both are kept for the record."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
