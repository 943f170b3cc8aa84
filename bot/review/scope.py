"""Which cases a viewer may see: one SQL condition, used by the case list and by opening a case by id.

Using the same condition for both means a case that is not in your list cannot be opened by typing its id.
Leads see their own team's live cases, trainers their own team's rehearsal cases, practitioners the cases they
made themselves, admins none. Only submitted assessments are cases, with one exception: a lead also sees their
team's live assessments that raised an urgent flag while still in progress (issue #9: danger reaches a lead
at once, whatever the practitioner does next). Trainers and practitioners see submitted assessments only.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from bot.review.records import Viewer
from bot.review.vocabulary import REVIEWER_ROLES, ROLE_MODES, TAGGER_ROLES, URGENT_READER_ROLES
from bot.store.models import Assessment


def visible_modes(role: str) -> tuple[str, ...]:
    return ROLE_MODES.get(role, ())


def case_scope(viewer: Viewer) -> ColumnElement[bool]:
    modes = visible_modes(viewer.role)
    if not modes:
        return false()
    owner = (
        Assessment.team_id == viewer.team_id
        if viewer.role in REVIEWER_ROLES
        else Assessment.practitioner_id == viewer.user_id
    )
    return and_(_status_in_scope(viewer), Assessment.mode.in_(modes), owner)


def _status_in_scope(viewer: Viewer) -> ColumnElement[bool]:
    submitted = Assessment.status == "submitted"
    if viewer.role not in URGENT_READER_ROLES:
        return submitted
    return or_(submitted, and_(Assessment.status == "in_progress", Assessment.urgent.is_(True)))


def sees_urgent_follow_up(viewer: Viewer) -> bool:
    """Leads see an urgent case's notices and responses, and record what they did (within their scope)."""
    return viewer.role in URGENT_READER_ROLES


def is_reviewer(viewer: Viewer) -> bool:
    """Leads and trainers review (and decide on) the cases in their scope; practitioners only read theirs."""
    return viewer.role in REVIEWER_ROLES


def may_tag(viewer: Viewer) -> bool:
    """Only leads tag evidence with VAF dimensions, and only on cases in their scope (see TAGGER_ROLES)."""
    return viewer.role in TAGGER_ROLES
