"""Which cases a viewer may see, as one SQL condition over the assessments (issue #29: the query lives in the
store; bot.review.scope hands it the viewer). Used by the case list and by opening a case by id.

Which roles review, tag or follow urgent cases is `bot.domain.roles`' table; this module only turns it
into SQL. Using the same condition for both means a case that is not in your list cannot be opened by typing
its id.
Leads see their own team's live cases, trainers their own team's rehearsal cases, practitioners the cases they
made themselves, admins none. Only submitted assessments are cases, with one exception: a lead also sees their
team's live assessments that raised an urgent flag while still in progress (issue #9: danger reaches a lead
at once, whatever the practitioner does next). That stays so after a lead stands the flag down (issue #26),
so the lead can still open it by its link; the case list shows it again once it is submitted or flagged
again (bot.store.case_list). Reviewers also keep a Request for Support they sent back for the full assessment
while the practitioner completes it (issue #12: it waits for them, in the same record). Practitioners see
submitted assessments only.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from bot.domain.lifecycle import AssessmentStatus
from bot.domain.roles import Action, permits, visible_modes
from bot.store.models import Assessment


def case_scope(*, role: str, team_id: int, user_id: int) -> ColumnElement[bool]:
    """The cases a viewer with this role, team and id may reach."""
    modes = visible_modes(role)
    if not modes:
        return false()
    owner = (
        Assessment.team_id == team_id
        if permits(role, Action.REVIEW_CASES)
        else Assessment.practitioner_id == user_id
    )
    return and_(_status_in_scope(role), Assessment.mode.in_(modes), owner)


def _status_in_scope(role: str) -> ColumnElement[bool]:
    admitted = [Assessment.status == AssessmentStatus.SUBMITTED]
    if permits(role, Action.REVIEW_CASES):
        admitted.append(Assessment.full_requested_at.is_not(None))
    if permits(role, Action.FOLLOW_URGENT_CASES):
        admitted.append(and_(Assessment.status == AssessmentStatus.IN_PROGRESS, Assessment.urgent.is_(True)))
    return or_(*admitted)
