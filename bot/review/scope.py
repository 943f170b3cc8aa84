"""Which cases a viewer may see: the store's one SQL condition (bot.store.case_scope, where the rules are
written out), handed the viewer as read fresh for this request. Using the same condition for the case list and
for opening a case by id means a case that is not in your list cannot be opened by typing its id.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from bot.domain.roles import visible_modes
from bot.review.records import Viewer
from bot.store import case_scope as store_scope

__all__ = ["case_scope", "visible_modes"]


def case_scope(viewer: Viewer) -> ColumnElement[bool]:
    return store_scope.case_scope(role=viewer.role, team_id=viewer.team_id, user_id=viewer.user_id)
