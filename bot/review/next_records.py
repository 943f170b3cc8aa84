"""What happened next on a case (issue #12), as posted and as shown: the information-sharing log, outcomes per
pathway and review dates. Free text is kept exactly as typed, here as everywhere in the review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class SharingIn:
    """One share exactly as posted; `pathway` is a decision_pathways id of the standing decision, or ""."""

    shared_what: str = ""
    recipient: str = ""
    partner: str = ""
    shared_on: str = ""
    method: str = ""
    lawful_basis: str = ""
    pathway: str = ""
    corrects: str = ""  # the id of the entry this one corrects, or ""


@dataclass(frozen=True)
class OutcomeIn:
    pathway: str = ""  # a decision_pathways id of the standing decision
    outcome: str = ""  # an outcome key of that pathway (bot/domain/pathways.yaml)
    outcome_on: str = ""
    note: str = ""
    corrects: str = ""


@dataclass(frozen=True)
class SharingView:
    id: int
    shared_what: str
    recipient: str | None
    partner: str | None  # a partner directory key
    shared_on: date
    method: str
    lawful_basis: str
    pathway: str | None  # a pathway key of the decision it belongs to
    corrects_id: int | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class OutcomeView:
    id: int
    pathway: str
    outcome: str
    outcome_on: date
    note: str | None
    corrects_id: int | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class ReviewView:
    due_on: date
    source: str  # a key of REVIEW_SOURCES
    state: str  # "held", "overdue", "due" or "upcoming" (bot.review.review_dates.review_state)
    held_on: date | None = None
    reminded_at: datetime | None = None


@dataclass(frozen=True)
class PathwayChoice:
    """A pathway of the standing decision that a share or an outcome may belong to."""

    id: int
    key: str


@dataclass(frozen=True)
class WhatNext:
    """The case's "What happened next" section: everything in date order (oldest first)."""

    sharing: tuple[SharingView, ...] = ()
    outcomes: tuple[OutcomeView, ...] = ()
    reviews: tuple[ReviewView, ...] = ()
    pathways: tuple[PathwayChoice, ...] = ()  # of the standing decision, for the forms

    @property
    def review_flag(self) -> str | None:
        """ "overdue" if any review is, else "due" if any is, else None: the case list's tag."""
        states = {review.state for review in self.reviews}
        return next((state for state in ("overdue", "due") if state in states), None)
