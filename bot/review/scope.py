"""Which cases a viewer may see: one SQL condition, used by the case list and by opening a case by id.

Using the same condition for both means a case that is not in your list cannot be opened by typing its id.
Leads see their own team's live cases, trainers their own team's rehearsal cases, practitioners the cases they
made themselves, admins none. Only submitted assessments are cases.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false

from bot.review.records import Viewer
from bot.review.vocabulary import REVIEWER_ROLES, ROLE_MODES, TAGGER_ROLES
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
    return and_(Assessment.status == "submitted", Assessment.mode.in_(modes), owner)


def is_reviewer(viewer: Viewer) -> bool:
    """Leads and trainers review (and decide on) the cases in their scope; practitioners only read theirs."""
    return viewer.role in REVIEWER_ROLES


def may_tag(viewer: Viewer) -> bool:
    """Only leads tag evidence with VAF dimensions, and only on cases in their scope (see TAGGER_ROLES)."""
    return viewer.role in TAGGER_ROLES
