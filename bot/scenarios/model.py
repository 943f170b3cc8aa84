"""A training scenario as typed, frozen records: what the trainee reads, what a good assessment captures, the
traps, the danger moment and the right route.

Pydantic models, strict and closed (bot.domain.strict.StrictModel: no coercion, no unknown keys, frozen), so a
misspelt key in a scenario file is an error rather than a silently missing fact. They check what one file can
know on its own (shapes, the fixed vocabularies, ages); what needs the question bank or the whole library
(a fact's question exists, ids are unique) is checked by the loader, which reports both kinds with file:line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from bot.domain.strict import StrictModel

# The settings a trainee may meet a young person in (issue #13).
Setting = Literal["school", "college", "home_visit", "health", "youth_work"]
SETTINGS: tuple[str, ...] = ("school", "college", "home_visit", "health", "youth_work")
# Whose need it is: the whole family, not only the young person (domain reference, section 5).
NeedOf = Literal["young_person", "parent_or_carer", "sibling", "wider_family"]
YOUNGEST, OLDEST = 9, 17

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$", max_length=60)]
# A bank question's id, which may be a generated one ("need__money_housing__what", per choice).
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:__?[a-z0-9]+)*$", max_length=120)]
Wording = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]


class Concern(StrictModel):
    """The kind of concern, in the bank's own vocabulary, so that a debrief can set it beside the answers."""

    # Values of the bank's `concern_kinds` question: what was noticed.
    noticed: tuple[Identifier, ...] = Field(min_length=1)
    # A value of the bank's `ideas_involved` question (unclear, mixed, none identified, violence, no cause).
    ideas: Identifier


class Need(StrictModel):
    need: Identifier  # a value of the bank's `other_needs` question
    of: NeedOf


class Fact(StrictModel):
    """Something a good assessment of this case captures, and how a debrief will see that it did."""

    id: Identifier
    question: QuestionId  # the bank question whose answer should hold it
    summary: Wording  # the fact as the trainer states it
    source: Identifier  # how the trainee comes to know it: a value of the bank's "How do you know?" choices
    when: Wording  # the date the fact comes with, as the case card gives it ("last Tuesday")
    # Words or phrases that show it was captured (free text: any one appearing, whole words, any case), or
    # the choice values that show it (a choice question). Shown in the debrief beside what matched.
    captured_by: tuple[Phrase, ...] = Field(min_length=1)


class Trap(StrictModel):
    """Something in the case that invites a poor answer, such as a label offered instead of behaviour."""

    id: Identifier
    question: Identifier  # the bank question the trap tests
    offered: Wording  # what the case offers the trainee
    better: Wording  # what a good answer records instead


class DangerMoment(StrictModel):
    """A point in the run where the trainee learns someone is in immediate danger (the 999 path)."""

    after_question: Identifier  # told once the trainee has answered this bank question
    told: Wording  # what the trainee is told


class Route(StrictModel):
    """The right route for the case: Prevent or not, and the pathway a lead would choose."""

    prevent: bool
    pathway: Identifier  # a key of bot/domain/pathways.yaml
    why: Wording


class Scenario(StrictModel):
    id: Identifier  # the file's name without .yaml
    title: Wording
    age: int = Field(ge=YOUNGEST, le=OLDEST)
    setting: Setting
    concern: Concern
    card: Wording  # what the trainee reads, and can reopen during the run; it says the case is fictional
    needs: tuple[Need, ...] = ()
    protective: tuple[Identifier, ...] = ()  # values of the bank's `protective_factors` question
    facts: tuple[Fact, ...] = Field(min_length=1)
    traps: tuple[Trap, ...] = Field(min_length=1)
    danger: DangerMoment | None = None
    route: Route
