"""The status a case is shown with, in words a lead reads; its SQL twin is `case_status_column` in
bot/store/case_list.py, and tests/review/test_case_status.py checks the two agree on every combination."""

from __future__ import annotations

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.referral import ReferralStatus
from bot.domain.vocabulary import URGENT_UNSUBMITTED


def case_status(status: str, full_requested: bool, referral_status: str | None) -> str:
    """A key of CASE_STATUSES. An assessment still in progress is an urgent one not yet submitted (only those
    reach a lead), unless a lead sent it back for the full assessment (issue #12): then, like a submitted
    one, it has its referral's status. No referral row yet means no reviewer has opened it: "submitted"."""
    if status == AssessmentStatus.IN_PROGRESS and not full_requested:
        return URGENT_UNSUBMITTED
    return referral_status if referral_status is not None else ReferralStatus.SUBMITTED
