"""The typed records of a practice run's debrief (issue #13): what went in, and what the debrief says.

The debrief describes the practice, never the fictional child: there is no field here for a score, a risk
level, a percentage or a label, so no page or export built on these records can show one. Every judgement it
makes ("captured", "source missing") carries what it rests on (the phrase that matched, in which answer),
so a trainee and their trainer can check it rather than take it on trust.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.records import AnswerRecord


@dataclass(frozen=True)
class PracticeRun:
    """What the debrief reads from one submitted practice run, as the store keeps it."""

    answers: Mapping[str, AnswerRecord]  # the current answer to each question, verbatim
    danger_reported_at: tuple[datetime, ...]  # each danger report of the run (the 999 path), in order
    started_at: datetime
    submitted_at: datetime | None
    turns: int  # the practitioner's own messages in the chat


@dataclass(frozen=True)
class Words:
    """An answer as the practitioner gave it, beside the question it answered."""

    question_id: str
    question: str  # the question as it was asked
    text: str  # verbatim


@dataclass(frozen=True)
class Match:
    """Why a fact counts as captured: this phrase of the scenario was found in this answer."""

    phrase: str
    answer: Words


@dataclass(frozen=True)
class FactDebrief:
    fact_id: str
    summary: str  # the fact as the trainer states it
    question_id: str
    question: str  # the bank question it belongs in
    captured: bool
    matches: tuple[Match, ...]  # every phrase found, in which answer (empty when not captured)
    words: tuple[Words, ...]  # the practitioner's answers to the fact's question and its follow-ups
    # Only for a captured fact (a fact not captured has no source or date to miss): the scenario gives the
    # fact a source and a date, and the run recorded none.
    source_missing: bool
    date_missing: bool
    when: str  # the date the fact comes with, as the case card gives it


@dataclass(frozen=True)
class DangerDebrief:
    """The scenario's danger moment and whether the run took the danger path (999) at all."""

    told: str  # what the trainee was told at the moment
    after_question: str  # the question it came after, as asked
    handled: bool
    reported_at: datetime | None  # the first danger report of the run


@dataclass(frozen=True)
class Debrief:
    scenario_id: str
    title: str
    facts: tuple[FactDebrief, ...]
    empty_follow_ups: tuple[Words, ...]  # follow-ups the run opened and left empty (text is "")
    danger: DangerDebrief | None  # None: the scenario has no danger moment
    other_explanations: Words | None  # None: none written
    other_explanations_question: str  # the bank question, as asked
    time_taken: timedelta | None  # from the first message to submission
    turns: int

    @property
    def missed(self) -> tuple[FactDebrief, ...]:
        return tuple(fact for fact in self.facts if not fact.captured)

    @property
    def captured(self) -> tuple[FactDebrief, ...]:
        return tuple(fact for fact in self.facts if fact.captured)
