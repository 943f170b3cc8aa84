"""A decision's pathways, as posted and as shown (issue #12: a decision may combine pathways)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PathwayIn:
    """One ticked pathway's fields exactly as posted."""

    key: str
    rationale: str = ""
    shared: str = ""
    owner: str = ""
    partner: str = ""


@dataclass(frozen=True)
class PathwayView:
    """One pathway of a decision. `shared` and `owner` are None on decisions made before they were asked."""

    key: str
    rationale: str
    shared: str | None
    owner: str | None
    partner: str | None  # a partner directory key
