"""What a lead posts, exactly as posted: the decision and tagging forms, checked by the services
(bot.review.decision_checks, bot.review.tag_checks), and what a tagging request did."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.review.pathway_records import PathwayIn


@dataclass(frozen=True)
class ActionIn:
    description: str
    owner: str
    due_date: str  # as typed; read in UK order by the service


@dataclass(frozen=True)
class DecisionIn:
    """The decision form exactly as posted; the service checks it and says what is wrong with each field."""

    pathways: tuple[PathwayIn, ...] = ()  # the ticked pathways, in the form's order
    lawful_bases: tuple[str, ...] = ()
    consent: str = ""
    consent_reason: str = ""
    review_date: str = ""
    feedback: str = ""
    feedback_given_on: str = ""
    actions: tuple[ActionIn, ...] = field(default_factory=tuple)

    def pathway(self, key: str) -> PathwayIn | None:
        """The ticked pathway `key` as posted (the form shows its fields again), or None if not ticked."""
        return next((chosen for chosen in self.pathways if chosen.key == key), None)


@dataclass(frozen=True)
class TagIn:
    """The tagging form for one answer exactly as posted; checked by bot.review.tag_checks."""

    question_id: str = ""
    revision: str = ""  # the version of the answer the lead was reading, as posted
    dimensions: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TagResult:
    """What a tagging request did: the dimensions added, and those already there (left as they were)."""

    question_id: str
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
