"""Who is asking for cases, and what they asked the case list for: the records the review hands the store's
case reads (bot.store.case_list, bot.store.review_reads), so they live below both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.referral import ReferralStatus


@dataclass(frozen=True)
class Viewer:
    """Who is asking, read fresh from the store on every call so a changed role or team applies at once."""

    user_id: int
    username: str
    role: str
    team_id: int
    address: str


# Issue #12: the case list's assignment filter, and the statuses in which a case waits for a decision.
ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"
WAITING_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.IN_REVIEW)


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    urgent: bool | None = None
    mode: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    reference: str | None = None
    newest_first: bool = True
    page: int = 1
    review_before: date | None = None  # issue #12: the next review is before this date (due or overdue)
    by_review: bool = False  # soonest review first
    assigned: str | None = None  # issue #12: ASSIGNED_TO_ME or UNASSIGNED
    by_waiting: bool = False  # issue #12: longest wait for a decision first
